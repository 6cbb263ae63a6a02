/**
 * Issue 21: bad input everywhere gets a 4xx whose error names the field, never a 500 or a
 * stack trace. The rows are in ./support/bad-input-*-cases.ts.
 */
import { queueAdmit, queueAuthenticate } from '@bascule/control-plane';
import {
  createKeyAuthenticator,
  createRedisClient,
  createRedisKeyStore,
  type Redis,
} from '@bascule/gateway';
import type { RunningEngine } from '@bascule/engine-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../api/support/api-stack.js';
import { modelResource, routeResource } from '../gateway/support/fixtures.js';
import { startEngine } from '../gateway/support/harness.js';
import { batchLines, startQueueStack, type QueueStack } from '../queue/support/queue-stack.js';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { expectNamed, send } from './support/bad-input-case.js';
import { BATCH_CASES, form } from './support/bad-input-batch-cases.js';
import { GATEWAY_CASES } from './support/bad-input-gateway-cases.js';

describe('bad input: gateway and Batch API', () => {
  let redisServer: RunningRedisServer;
  let redis: Redis;
  let engine: RunningEngine;
  let stack: QueueStack;
  let key: string;
  const fileIds: Record<string, string> = {};

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = createRedisClient(redisServer.url);
    key = (await createRedisKeyStore(redis).create({ name: 'bad', routes: ['chat', 'small'] })).key;
    engine = await startEngine({ served: 'small' });
    const auth = createKeyAuthenticator({ redis, adminKey: ADMIN });
    stack = await startQueueStack({
      redis: redisServer,
      models: [modelResource('small', { servedNames: ['small'] })],
      routes: [
        routeResource('chat', { targets: [{ model: 'small' }] }),
        routeResource('other', { targets: [{ model: 'small' }] }),
      ],
      endpoints: { small: [engine] },
      handler: {
        authenticate: queueAuthenticate(auth),
        admit: queueAdmit(auth),
        webhooks: {},
      },
      gateway: { authenticate: auth.authenticate, onUsage: auth.settle },
    });
    for (const [name, model] of [
      ['FILE', 'chat'],
      ['OTHER', 'other'],
    ] as const) {
      const r = await send(
        stack.url,
        {
          name,
          method: 'POST',
          path: '/v1/files',
          body: form({ purpose: 'batch' }, batchLines(1, model)),
          status: 200,
          field: '',
        },
        key,
      );
      expect(r.status).toBe(200);
      fileIds[name] = ((await r.json()) as { id: string }).id;
    }
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await engine?.close();
    redis?.disconnect();
    await redisServer?.stop();
  });

  it(`has at least 60 gateway and 30 batch cases`, () => {
    expect(GATEWAY_CASES.length).toBeGreaterThanOrEqual(60);
    expect(BATCH_CASES().length).toBeGreaterThanOrEqual(30);
  });

  it.each(GATEWAY_CASES.map((c) => [c.name, c] as const))('gateway: %s', async (_n, c) => {
    await expectNamed(await send(stack.url, c, key), c);
  });

  it.each(BATCH_CASES().map((c) => [c.name] as const))('batch: %s', async (name) => {
    const c = BATCH_CASES().find((x) => x.name === name)!;
    if (c.body && typeof c.body === 'object' && !(c.body instanceof FormData)) {
      const b = c.body as Record<string, unknown>;
      if (typeof b.input_file_id === 'string' && fileIds[b.input_file_id])
        c.body = { ...b, input_file_id: fileIds[b.input_file_id] };
    }
    await expectNamed(await send(stack.url, c, key), c);
  });

  it('echoes an unknown 10 KB model name cut to 64 characters', async () => {
    const r = await send(
      stack.url,
      { ...GATEWAY_CASES.find((c) => c.name === 'model 10 KB')!, status: 404 },
      key,
    );
    const text = await r.text();
    expect(text.length).toBeLessThan(600);
    expect(text).toContain(`'${'x'.repeat(64)}…'`);
  });
});
