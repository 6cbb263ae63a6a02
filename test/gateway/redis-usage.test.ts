import { usageKey } from '@bascule/keyspace';
import { createRedisClient, createRedisUsageSink, type Redis } from '@bascule/gateway';
import type { RunningEngine } from '@bascule/engine-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { modelResource, routeResource } from './support/fixtures.js';
import { startEngine, startTestGateway, type TestGateway } from './support/harness.js';

// Two gateway replicas add their usage up in one Redis.
describe('usage counters in Redis', () => {
  let redis: RunningRedisServer;
  let engine: RunningEngine;
  const clients: Redis[] = [];
  const gws: TestGateway[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    engine = await startEngine({ served: 'small' });
    for (const id of ['gw-a', 'gw-b']) {
      const client = createRedisClient(redis.url);
      clients.push(client);
      gws.push(
        await startTestGateway({
          models: [modelResource('small', { servedNames: ['small'], cost: { gpuHourUSD: 2 } })],
          routes: [routeResource('chat', { targets: [{ model: 'small' }] })],
          endpoints: { small: [engine] },
          extra: {
            usage: createRedisUsageSink({ redis: client, gatewayId: id, flushMs: 60_000 }),
            authenticate: (req) => ({ keyId: String(req.headers['x-test-key'] ?? 'anonymous') }),
          },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const g of gws) await g.close();
    for (const c of clients) c.disconnect();
    await engine?.close();
    await redis?.stop();
  });

  it('sums requests, tokens and cost per key, route and target across replicas', async () => {
    const plan: [number, string][] = [
      [0, 'team-a'],
      [0, 'team-a'],
      [1, 'team-a'],
      [1, 'team-b'],
    ];
    for (const [g, key] of plan) {
      await gws[g]!.client.chat.completions.create(
        { model: 'chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 3 },
        { headers: { 'x-test-key': key } },
      );
    }
    for (const g of gws) await g.gateway.close();
    const day = new Date().toISOString().slice(0, 10);
    const a = await clients[0]!.hgetall(usageKey(day, 'key', 'team-a'));
    const b = await clients[0]!.hgetall(usageKey(day, 'key', 'team-b'));
    const route = await clients[0]!.hgetall(usageKey(day, 'route', 'chat'));
    const target = await clients[0]!.hgetall(usageKey(day, 'target', 'small'));
    expect(Number(a.requests)).toBe(3);
    expect(Number(b.requests)).toBe(1);
    expect(Number(route.requests)).toBe(4);
    expect(Number(target.requests)).toBe(4);
    const metered = gws.flatMap((g) => g.usage);
    const tokens = metered.reduce((n, u) => n + u.promptTokens + u.completionTokens, 0);
    expect(Number(route.input_tokens) + Number(route.output_tokens)).toBe(tokens);
    expect(Number(route.cost_usd)).toBeCloseTo(
      metered.reduce((n, u) => n + u.costUSD, 0),
      9,
    );
    expect(Number(route.cost_usd)).toBeGreaterThan(0);
  });
});
