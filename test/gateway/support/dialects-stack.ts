// One gateway stack for the dialect tests (Anthropic Messages, OpenAI Responses): a
// self-hosted Model (engine-sim), each provider-sim, a real Redis for keys, budgets and stored
// Responses, and the official SDKs pointed at the gateway.
import Anthropic from '@anthropic-ai/sdk';
import {
  createKeyAuthenticator,
  createRedisClient,
  createRedisKeyStore,
  createRedisResponseStore,
  type KeyAuthenticator,
  type KeyStore,
  type UsageRecord,
} from '@bascule/gateway';
import type { RunningEngine } from '@bascule/engine-sim';
import type { RunningProviderSim } from '@bascule/provider-sim';
import type { Redis } from 'ioredis';
import OpenAI from 'openai';
import { startRedisServer, type RunningRedisServer } from '../../support/redis-server.js';
import { modelResource, providerResource, routeResource, type SimType } from './fixtures.js';
import { startEngine, startProviders, startTestGateway, type TestGateway } from './harness.js';

/** Route, the target it serves from, and the target's kind. */
export const TARGETS = [
  ['chat', 'llama', 'model'],
  ['gpt', 'openai/gpt-5-mini', 'provider'],
  ['claude', 'anthropic/claude-sonnet-4-6', 'provider'],
  ['gemini', 'gemini/gemini-2.5-flash', 'provider'],
] as const;

export const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
};

export const weatherFunction: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: weatherTool.input_schema,
  strict: false,
};

export interface DialectsStack {
  gw: TestGateway;
  sims: Record<SimType, RunningProviderSim>;
  redis: Redis;
  auth: KeyAuthenticator;
  keys: KeyStore;
  key: string;
  otherKey: string;
  anthropic: Anthropic;
  openai: OpenAI;
  /** Every usage record the gateway wrote, oldest first. */
  usage: UsageRecord[];
  close(): Promise<void>;
}

export async function startDialectsStack(): Promise<DialectsStack> {
  const engine: RunningEngine = await startEngine({ served: 'llama-8b' });
  const sims = await startProviders(['openai', 'anthropic', 'gemini']);
  const redisServer: RunningRedisServer = await startRedisServer();
  const redis = createRedisClient(redisServer.url);
  const auth = createKeyAuthenticator({ redis });
  const keys = createRedisKeyStore(redis);
  const key = (await keys.create({ name: 'dialects' })).key;
  const otherKey = (await keys.create({ name: 'someone-else' })).key;
  const usage: UsageRecord[] = [];
  const claude = { provider: 'anthropic', model: 'claude-sonnet-4-6' };
  const gw = await startTestGateway({
    models: [modelResource('llama', { servedNames: ['llama-8b'] })],
    providers: [
      providerResource('openai', 'openai', sims.openai.url, ['gpt-5-mini']),
      providerResource('anthropic', 'anthropic', sims.anthropic.url, ['claude-sonnet-4-6']),
      providerResource('gemini', 'gemini', sims.gemini.url, ['gemini-2.5-flash']),
    ],
    routes: [
      routeResource('chat', { targets: [{ model: 'llama' }] }),
      routeResource('gpt', { targets: [{ provider: 'openai', model: 'gpt-5-mini' }] }),
      routeResource('claude', { targets: [claude] }),
      routeResource('gemini', { targets: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] }),
      routeResource('claude-or-gpt', {
        targets: [claude, { provider: 'openai', model: 'gpt-5-mini' }],
      }),
      routeResource('claude-inspected', {
        targets: [claude],
        privacy: { detect: [{ class: 'email', action: 'redact' }] },
      }),
      routeResource('capped', {
        targets: [{ provider: 'openai', model: 'gpt-5-mini' }],
        budgets: { dailyUSD: 0.000001, onExceeded: 'reject' },
      }),
    ],
    endpoints: { llama: [engine] },
    extra: {
      authenticate: auth.authenticate,
      responseStore: createRedisResponseStore({ redis }),
      onUsage: (r) => {
        usage.push(r);
        auth.settle(r);
      },
    },
  });
  return {
    gw,
    sims,
    redis,
    auth,
    keys,
    key,
    otherKey,
    anthropic: new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 }),
    openai: new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 }),
    usage,
    async close() {
      await gw.close();
      redis.disconnect();
      await redisServer.stop();
      await engine.close();
      for (const s of Object.values(sims)) await s.close();
    },
  };
}
