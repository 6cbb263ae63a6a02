// Names a client invents never become metric label values or usage rows of their own: 1,000
// requests for random model names leave one `unknown` series and one `unknown` usage row, and
// every 404 echoes the name cut short.
import { usageKey, usagePattern } from '@bascule/keyspace';
import { randomBytes } from 'node:crypto';
import { createRedisClient, createRedisUsageSink, type Redis } from '@bascule/gateway';
import type { RunningEngine } from '@bascule/engine-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { modelResource, routeResource } from './support/fixtures.js';
import { startEngine, startTestGateway, type TestGateway } from './support/harness.js';

const REQUESTS = 1_000;

describe('client-invented model names stay bounded', () => {
  let redis: RunningRedisServer;
  let client: Redis;
  let engine: RunningEngine;
  let gw: TestGateway;

  beforeAll(async () => {
    redis = await startRedisServer();
    client = createRedisClient(redis.url);
    engine = await startEngine({ served: 'small' });
    gw = await startTestGateway({
      models: [modelResource('small', { servedNames: ['small'] })],
      routes: [routeResource('chat', { targets: [{ model: 'small' }] })],
      endpoints: { small: [engine] },
      extra: { usage: createRedisUsageSink({ redis: client, gatewayId: 'gw', flushMs: 60_000 }) },
    });
  });
  afterAll(async () => {
    await gw?.close();
    client?.disconnect();
    await engine?.close();
    await redis?.stop();
  });

  it(`after ${REQUESTS} requests for random names: one unknown series and usage row`, async () => {
    const served = await gw.client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 3,
    });
    expect(served.choices.length).toBe(1);
    const url = `${gw.url}/v1/chat/completions`;
    for (let i = 0; i < REQUESTS; i += 50) {
      const batch = Array.from({ length: 50 }, async () => {
        const name = `${randomBytes(8).toString('hex')}-${'x'.repeat(100)}`;
        const r = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: name, messages: [{ role: 'user', content: 'hi' }] }),
        });
        const text = await r.text();
        expect(r.status).toBe(404);
        expect(text).toContain(`${name.slice(0, 64)}…`);
        expect(text).not.toContain(name);
      });
      await Promise.all(batch);
    }
    const metrics = await gw.gateway.metrics.registry.metrics();
    const routes = new Set(
      [...metrics.matchAll(/^bascule_gateway_requests_total\{[^}]*route="([^"]*)"/gm)].map(
        (m) => m[1],
      ),
    );
    expect([...routes].sort()).toEqual(['chat', 'unknown']);
    const series = metrics.split('\n').filter((l) => /^bascule_gateway_\w+\{/.test(l));
    expect(series.length).toBeLessThan(100);

    await gw.gateway.close(); // flushes the usage sink
    const day = new Date().toISOString().slice(0, 10);
    const rows = await client.keys(`${usagePattern(day, 'route')}*`);
    expect(rows.sort()).toEqual([
      usageKey(day, 'route', 'chat'),
      usageKey(day, 'route', 'unknown'),
    ]);
    const unknown = await client.hgetall(usageKey(day, 'route', 'unknown'));
    expect(Number(unknown.requests)).toBe(REQUESTS);
  });
});
