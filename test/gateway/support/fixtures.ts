import {
  parseModel,
  parseProvider,
  parseRoute,
  type Model,
  type Provider,
  type Route,
  type RouteSpecInput,
} from '@bascule/spec';

export function modelResource(
  name: string,
  spec: Record<string, unknown> = {},
  status?: Record<string, unknown>,
): Model {
  return parseModel({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Model',
    metadata: { name, namespace: 'default' },
    spec: {
      source: 'hf://meta-llama/Llama-3.1-8B-Instruct',
      engine: 'vllm',
      gpus: 'nvidia-l4:1',
      maxConcurrency: 8,
      capabilities: ['chat', 'completions', 'tools', 'embeddings'],
      cost: { gpuHourUSD: 0.72 },
      ...spec,
    },
    ...(status ? { status } : {}),
  });
}

export type SimType = 'openai' | 'anthropic' | 'gemini';

export function providerResource(
  name: string,
  type: SimType,
  url: string,
  models: string[],
): Provider {
  return parseProvider({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Provider',
    metadata: { name, namespace: 'default' },
    spec: {
      type,
      baseURL: type === 'openai' ? `${url}/v1` : url,
      apiKeySecretRef: { name: `${name}-key`, key: 'api-key' },
      maxRetries: 0,
      models: models.map((m) => ({
        name: m,
        inputUSDPer1M: 1,
        outputUSDPer1M: 4,
        contextWindow: 200_000,
        capabilities: m.includes('embed')
          ? ['embeddings']
          : ['chat', 'completions', 'tools', 'vision'],
      })),
    },
  });
}

export function routeResource(name: string, spec: RouteSpecInput): Route {
  return parseRoute({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Route',
    metadata: { name, namespace: 'default' },
    spec,
  });
}

export const SIM_KEY = 'sk-sim-test-key';
