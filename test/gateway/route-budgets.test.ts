// Route budgets (`spec.budgets`): closed-API spend through a Route is counted per UTC day and
// month; once a limit is reached the Route either keeps serving from self-hosted targets only
// or rejects with a 429 that names the Route, the limit and when it resets. With the Redis
// ledger every gateway replica sees the same spend.
import { routeSpendKey, routeSpendPattern } from '@bascule/keyspace';
import { createRedisClient, createRedisRouteBudgetLedger } from '@bascule/gateway';
import type { RunningEngine } from '@bascule/engine-sim';
import type { RunningProviderSim } from '@bascule/provider-sim';
import type { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { waitFor } from '@bascule/test-support';
import { modelResource, providerResource, routeResource } from './support/fixtures.js';
import {
  startEngine,
  startProviders,
  startTestGateway,
  type TestGateway,
} from './support/harness.js';

// gpt-5-mini in the fixtures costs $1 / $4 per 1M tokens: any answer costs more than this.
const TINY = 0.000001;

const routes = [
  routeResource('capped', {
    targets: [{ provider: 'openai', model: 'gpt-5-mini' }],
    budgets: { dailyUSD: TINY, onExceeded: 'reject' },
  }),
  routeResource('capped-monthly', {
    targets: [{ provider: 'openai', model: 'gpt-5-mini' }],
    budgets: { monthlyUSD: TINY, onExceeded: 'reject' },
  }),
  routeResource('frugal', {
    targets: [{ provider: 'openai', model: 'gpt-5-mini' }, { model: 'small' }],
    budgets: { dailyUSD: TINY },
  }),
  routeResource('unlimited', { targets: [{ provider: 'openai', model: 'gpt-5-mini' }] }),
];

describe('Route budgets', () => {
  let engine: RunningEngine;
  let openai: RunningProviderSim;
  let redisServer: RunningRedisServer;
  let redis: Redis;
  let a: TestGateway;
  let b: TestGateway;

  beforeAll(async () => {
    engine = await startEngine({ served: 'small' });
    openai = (await startProviders(['openai'])).openai;
    redisServer = await startRedisServer();
    redis = createRedisClient(redisServer.url);
    const start = () =>
      startTestGateway({
        models: [modelResource('small', { servedNames: ['small'] })],
        providers: [providerResource('openai', 'openai', openai.url, ['gpt-5-mini'])],
        routes,
        endpoints: { small: [engine] },
        extra: { routeBudgets: createRedisRouteBudgetLedger({ redis }) },
      });
    a = await start();
    b = await start();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    redis?.disconnect();
    await redisServer?.stop();
    await engine?.close();
    await openai?.close();
  });

  const ask = (client: OpenAI, model: string) =>
    client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hello' }], max_tokens: 4 })
      .withResponse();
  const spent = async (route: string) =>
    Number(
      (await redis.get(routeSpendKey(`default/${route}`, new Date().toISOString().slice(0, 10)))) ??
        0,
    );

  it('rejects once the daily budget is spent, on every replica, with the Route, limit and reset', async () => {
    const first = await ask(a.client, 'capped');
    expect(first.response.headers.get('x-bascule-target')).toBe('openai/gpt-5-mini');
    await waitFor('the spend in Redis', async () => (await spent('capped')) > TINY, 10_000);
    const before = openai.stats().requests;
    for (const gw of [a, b]) {
      const err = await ask(gw.client, 'capped').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(OpenAI.APIError);
      const e = err as InstanceType<typeof OpenAI.APIError>;
      expect(e.status).toBe(429);
      expect(e.code).toBe('route_budget_exceeded');
      expect(e.message).toContain("Route 'capped' has spent its daily budget of $0.000001");
      const retryAfter = Number(e.headers?.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(86_400);
    }
    expect(openai.stats().requests).toBe(before);
  });

  it('applies a monthly budget the same way', async () => {
    await ask(b.client, 'capped-monthly');
    await waitFor('the spend in Redis', async () => {
      const month = new Date().toISOString().slice(0, 7);
      return Number((await redis.get(routeSpendKey('default/capped-monthly', month))) ?? 0) > TINY;
    });
    await expect(ask(a.client, 'capped-monthly')).rejects.toMatchObject({
      status: 429,
      code: 'route_budget_exceeded',
    });
  });

  it('with onExceeded self-hosted-only keeps serving from the Model, never the closed API', async () => {
    const first = await ask(a.client, 'frugal');
    expect(first.response.headers.get('x-bascule-target')).toBe('openai/gpt-5-mini');
    await waitFor('the spend in Redis', async () => (await spent('frugal')) > TINY, 10_000);
    const before = openai.stats().requests;
    for (const gw of [a, b]) {
      const r = await ask(gw.client, 'frugal');
      expect(r.response.status).toBe(200);
      expect(r.response.headers.get('x-bascule-target')).toBe('small');
      expect(r.data.choices[0]?.message.content?.length).toBeGreaterThan(0);
    }
    expect(openai.stats().requests).toBe(before);
  });

  it('counts only Routes with budgets, and never self-hosted answers', async () => {
    await ask(a.client, 'unlimited');
    await ask(a.client, 'unlimited');
    const keys = await redis.keys(routeSpendPattern());
    expect(keys.some((k) => k.includes('/unlimited:'))).toBe(false);
    const frugal = await spent('frugal');
    await ask(a.client, 'frugal'); // served by the Model now
    expect(await spent('frugal')).toBe(frugal);
  });
});
