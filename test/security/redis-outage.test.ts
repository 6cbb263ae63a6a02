import { usageKey } from '@bascule/keyspace';
import {
  createRedisClient,
  createRedisUsageSink,
  type Redis,
  type UsageRecord,
} from '@bascule/gateway';
import type { RunningEngine } from '@bascule/engine-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiStack, type ApiStack } from '../api/support/api-stack.js';
import { hasKubectl } from '../controller/support/controller-harness.js';
import { modelResource, routeResource } from '../gateway/support/fixtures.js';
import { startEngine, startTestGateway, type TestGateway } from '../gateway/support/harness.js';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { waitFor } from '@bascule/test-support';

/** A request that has not answered by then is a hang (issue 21 saw none in 15 s). */
const ANSWER_WITHIN_MS = 8000;

describe.skipIf(!hasKubectl)(
  'every Redis-backed endpoint answers 503 + retry-after while Redis is down',
  () => {
    let stack: ApiStack;

    beforeAll(async () => {
      stack = await startApiStack('l4:1x1');
    }, 60_000);
    afterAll(async () => {
      await stack?.close();
    });

    const endpoints: [string, string, unknown][] = [
      ['GET', '/v1/files/file-abc', undefined],
      ['GET', '/v1/files/file-abc/content', undefined],
      ['POST', '/api/v1/jobs', { route: 'chat', body: { messages: [] } }],
      ['GET', '/api/v1/jobs/job_abc', undefined],
      ['GET', '/v1/batches/batch_abc', undefined],
      ['GET', '/v1/batches', undefined],
      [
        'POST',
        '/v1/batches',
        { input_file_id: 'file-abc', endpoint: '/v1/chat/completions', completion_window: '24h' },
      ],
      ['POST', '/api/v1/keys', { name: 'during-outage' }],
      ['GET', '/api/v1/keys', undefined],
      ['GET', '/api/v1/usage', undefined],
    ];

    it('answers each within a bounded wait, then serves again once Redis is back', async () => {
      await stack.redisServer.kill();
      try {
        for (const [method, path, body] of endpoints) {
          const r = await fetch(`${stack.api.url}${path}`, {
            method,
            headers: {
              authorization: `Bearer ${'bsc-bootstrap-admin-key-for-tests-0123456789'}`,
              ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
            signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
          });
          const text = await r.text();
          expect({ path: `${method} ${path}`, status: r.status }).toEqual({
            path: `${method} ${path}`,
            status: 503,
          });
          expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(text).toMatch(/store_unavailable/);
        }
      } finally {
        await stack.redisServer.restart();
      }
      await waitFor(
        'the API to reach Redis again',
        async () => {
          const r = await stack.call('GET', '/api/v1/usage');
          return r.status === 200;
        },
        20_000,
      );
      expect((await stack.call('POST', '/api/v1/keys', { name: 'after-outage' })).status).toBe(201);
    });
  },
);

describe('usage records survive a Redis kill and restart', () => {
  let redisServer: RunningRedisServer;
  let redis: Redis;
  let engine: RunningEngine;
  let gw: TestGateway;
  const metered: UsageRecord[] = [];

  beforeAll(async () => {
    redisServer = await startRedisServer({ aof: true, appendfsync: 'always' });
    redis = createRedisClient(redisServer.url);
    engine = await startEngine({ served: 'small', timeScale: 200 });
    gw = await startTestGateway({
      models: [modelResource('small', { servedNames: ['small'] })],
      routes: [routeResource('chat', { targets: [{ model: 'small' }] })],
      endpoints: { small: [engine] },
      extra: {
        usage: createRedisUsageSink({ redis, gatewayId: 'gw-outage', flushMs: 20 }),
        onUsage: (r) => metered.push(r),
      },
    });
  }, 60_000);
  afterAll(async () => {
    await gw?.close();
    redis?.disconnect();
    await engine?.close();
    await redisServer?.stop();
  });

  it('counts every served request once, across the outage', async () => {
    let ok = 0;
    const send = async (): Promise<void> => {
      const r = await gw.client.chat.completions.create({
        model: 'chat',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 2,
      });
      if (r.choices.length > 0) ok++;
    };
    // Traffic before, during and after the outage (bounded: 3 x 80 requests).
    for (let i = 0; i < 80; i++) await send();
    await redisServer.kill();
    for (let i = 0; i < 80; i++) await send();
    await redisServer.restart();
    for (let i = 0; i < 80; i++) await send();
    expect(ok).toBe(240);
    const day = new Date().toISOString().slice(0, 10);
    const counted = await waitFor(
      'every usage record to reach Redis',
      async () => {
        const n = Number(await redis.hget(usageKey(day, 'route', 'chat'), 'requests'));
        return n >= ok ? n : undefined;
      },
      20_000,
    );
    expect(counted).toBe(ok);
    expect(metered.filter((m) => m.status === 200)).toHaveLength(ok);
  });
});
