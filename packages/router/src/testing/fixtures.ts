import {
  parseModel,
  parseProvider,
  parseRoute,
  type Model,
  type Provider,
  type Route,
  type RouteSpecInput,
} from '@bascule/spec';
import { buildCatalog, type RoutingCatalog } from '../catalog/routing-catalog.js';
import type { ModelCapacity } from '../capacity/model-capacity.js';

export function model(name: string, spec: Record<string, unknown> = {}): Model {
  return parseModel({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Model',
    metadata: { name },
    spec: { source: `hf://org/${name}`, engine: 'vllm', gpus: 'nvidia-l4:1', ...spec },
  });
}

export function provider(name: string, models: Record<string, unknown>[]): Provider {
  return parseProvider({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Provider',
    metadata: { name },
    spec: { type: 'openai', apiKeySecretRef: { name: 'k', key: 'k' }, models },
  });
}

export function route(name: string, spec: RouteSpecInput): Route {
  return parseRoute({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Route',
    metadata: { name },
    spec,
  });
}

export const small = model('small', {
  maxContextLength: 8192,
  maxConcurrency: 4,
  capabilities: ['chat', 'completions', 'tools'],
  cost: { gpuHourUSD: 0.7 },
  aliases: ['llama-small'],
});
export const big = model('big', {
  maxContextLength: 32768,
  gpus: 'nvidia-h100:2',
  cost: { gpuHourUSD: 4 },
});
export const embed = model('embed', { capabilities: ['embeddings'] });
export const openai = provider('openai', [
  {
    name: 'gpt-5',
    inputUSDPer1M: 1.25,
    outputUSDPer1M: 10,
    contextWindow: 400000,
    capabilities: ['chat', 'tools', 'vision'],
  },
  {
    name: 'gpt-5-mini',
    inputUSDPer1M: 0.25,
    outputUSDPer1M: 2,
    contextWindow: 400000,
    capabilities: ['chat', 'tools'],
  },
  { name: 'emb', inputUSDPer1M: 0.02, contextWindow: 8191, capabilities: ['embeddings'] },
]);

export const routes = {
  chat: route('chat', {
    targets: [{ model: 'small' }, { provider: 'openai', model: 'gpt-5-mini' }],
    fallback: { maxQueueWait: '500ms' },
    aliases: ['gpt-4o'],
  }),
  private: route('private', {
    targets: [{ model: 'small' }, { model: 'big' }],
    allowExternal: false,
  }),
  noColdOverflow: route('patient', {
    targets: [{ model: 'small' }, { provider: 'openai', model: 'gpt-5-mini' }],
    fallback: { triggers: ['noCapacity', 'queueWait', 'upstreamError'], maxQueueWait: '1s' },
  }),
  cost: route('cheap', {
    strategy: 'cost',
    targets: [
      { provider: 'openai', model: 'gpt-5' },
      { model: 'small' },
      { provider: 'openai', model: 'gpt-5-mini' },
    ],
  }),
  complexity: route('smart', {
    strategy: 'complexity',
    complexityThreshold: 0.5,
    targets: [
      { model: 'small', tier: 'simple' },
      { provider: 'openai', model: 'gpt-5', tier: 'complex' },
      { provider: 'openai', model: 'gpt-5-mini' },
    ],
  }),
  ghost: route('ghost', {
    targets: [{ model: 'missing' }, { provider: 'openai', model: 'gpt-5-mini' }],
  }),
};

export function catalog(): RoutingCatalog {
  return buildCatalog({
    models: [small, big, embed],
    providers: [openai],
    routes: Object.values(routes),
  });
}

export const HEALTHY: ModelCapacity = {
  endpoints: 2,
  withHeadroom: 2,
  readyReplicas: 2,
  desiredReplicas: 2,
  unschedulable: false,
};
export const SATURATED: ModelCapacity = { ...HEALTHY, withHeadroom: 0 };
export const COLD: ModelCapacity = {
  endpoints: 0,
  withHeadroom: 0,
  readyReplicas: 0,
  desiredReplicas: 1,
  unschedulable: false,
};
export const ZERO: ModelCapacity = { ...COLD, desiredReplicas: 0 };
export const UNSCHEDULABLE: ModelCapacity = { ...COLD, unschedulable: true };
export const NO_ENDPOINTS: ModelCapacity = { ...COLD, readyReplicas: 1 };
