import { keyMaxCostKey, keySpendKey } from '@bascule/keyspace';
import { queueAdmit, queueAuthenticate } from '@bascule/control-plane';
import {
  createKeyAuthenticator,
  createRedisClient,
  createRedisKeyStore,
  type KeyAuthenticator,
  type Redis,
  type UsageRecord,
} from '@bascule/gateway';
import type { RunningEngine } from '@bascule/engine-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelResource, routeResource } from '../gateway/support/fixtures.js';
import { startEngine } from '../gateway/support/harness.js';
import { batchLines, startQueueStack, type QueueStack } from '../queue/support/queue-stack.js';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { waitFor } from '@bascule/test-support';

const ADMIN = 'bsc-admin-key-for-the-admission-tests-0123456789';

/**
 * Issue 21 items 1 and 4: inference, jobs, batches and files go through one admission path
 * (scope, rpm, budget, tenant); queued work runs under its submitter's key; listings take
 * nothing. A gateway with the queue handler, keys in a real redis-server, an engine-sim and the
 * real worker sending through the gateway with the admin key.
 */
describe('one admission path', () => {
  let redisServer: RunningRedisServer;
  let redis: Redis;
  let engine: RunningEngine;
  let stack: QueueStack;
  let auth: KeyAuthenticator;
  const usage: UsageRecord[] = [];
  const keys: Record<string, { key: string; id: string }> = {};

  const call = (key: string, method: string, path: string, body?: unknown, extra = {}) =>
    fetch(`${stack.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined && !(body instanceof FormData)
          ? { 'content-type': 'application/json' }
          : {}),
        ...extra,
      },
      ...(body !== undefined
        ? { body: body instanceof FormData ? body : JSON.stringify(body) }
        : {}),
    });
  const chat = (key: string, model = 'chat') =>
    call(key, 'POST', '/v1/chat/completions', {
      model,
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 3,
    });
  const job = (key: string, route: string) =>
    call(key, 'POST', '/api/v1/jobs', {
      route,
      body: { messages: [{ role: 'user', content: 'hi' }], max_tokens: 3 },
    });
  const upload = (key: string, model: string) => {
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', new Blob([batchLines(2, model)]), 'in.jsonl');
    return call(key, 'POST', '/v1/files', form);
  };
  const errorOf = async (r: Response) =>
    ((await r.json()) as { error: { code: string; param: string | null } }).error;

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = createRedisClient(redisServer.url);
    const store = createRedisKeyStore(redis);
    for (const [name, input] of Object.entries({
      scoped: { routes: ['chat'] },
      spender: { budget: { usd: 0.000001, period: 'day' as const } },
      lister: { budget: { usd: 1, period: 'day' as const } },
      plain: {},
    })) {
      const k = await store.create({ name, tenant: `t-${name}`, ...input });
      keys[name] = { key: k.key, id: k.info.id };
    }
    engine = await startEngine({ served: 'small' });
    auth = createKeyAuthenticator({ redis, adminKey: ADMIN });
    stack = await startQueueStack({
      redis: redisServer,
      models: [modelResource('small', { servedNames: ['small'], cost: { gpuHourUSD: 50 } })],
      routes: [
        routeResource('chat', { targets: [{ model: 'small' }] }),
        routeResource('batch', { targets: [{ model: 'small' }] }),
      ],
      endpoints: { small: [engine] },
      handler: { authenticate: queueAuthenticate(auth), admit: queueAdmit(auth) },
      gateway: {
        authenticate: auth.authenticate,
        onUsage: (r) => {
          usage.push(r);
          auth.settle(r);
        },
      },
      workerHeaders: { authorization: `Bearer ${ADMIN}` },
    });
    await stack.startWorker();
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await engine?.close();
    redis?.disconnect();
    await redisServer?.stop();
  });

  it('refuses a job or a batch on a Route outside the key scope, as inference does', async () => {
    const k = keys.scoped!.key;
    expect((await chat(k, 'batch')).status).toBe(403);
    const j = await job(k, 'batch');
    expect(j.status).toBe(403);
    expect(await errorOf(j)).toMatchObject({ code: 'model_not_allowed', param: 'model' });
    expect((await job(k, 'chat')).status).toBe(202);
    const f = await upload(k, 'batch');
    expect(f.status).toBe(200);
    const fileId = ((await f.json()) as { id: string }).id;
    const b = await call(k, 'POST', '/v1/batches', {
      input_file_id: fileId,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    expect(b.status).toBe(403);
    expect((await errorOf(b)).code).toBe('model_not_allowed');
  });

  it('refuses a job, an upload and a batch once the key budget is spent (402)', async () => {
    const k = keys.spender!.key;
    // The first request is admitted; its self-hosted cost spends the tiny budget.
    expect((await chat(k)).status).toBe(200);
    await auth.drain();
    expect((await chat(k)).status).toBe(402);
    const j = await job(k, 'chat');
    expect(j.status).toBe(402);
    expect((await errorOf(j)).code).toBe('budget_exceeded');
    expect((await upload(k, 'chat')).status).toBe(402);
  });

  it('runs queued work under the submitter key, and bills it there', async () => {
    const k = keys.plain!;
    const r = await job(k.key, 'chat');
    expect(r.status).toBe(202);
    const id = ((await r.json()) as { id: string }).id;
    const done = await waitFor(
      'the job to finish',
      async () => {
        const g = (await (await call(k.key, 'GET', `/api/v1/jobs/${id}`)).json()) as {
          status: string;
        };
        return g.status === 'succeeded' || g.status === 'failed' ? g.status : undefined;
      },
      30_000,
    );
    expect(done).toBe('succeeded');
    const billed = usage.filter((u) => u.key === k.id && u.status === 200);
    expect(billed).toHaveLength(1);
    expect(billed[0]!.costUSD).toBeGreaterThan(0);
    expect(usage.some((u) => u.key === 'bootstrap-admin')).toBe(false);
  });

  it('lets only an admin key act on behalf of another key', async () => {
    const r = await call(
      keys.plain!.key,
      'POST',
      '/v1/chat/completions',
      { model: 'chat', messages: [{ role: 'user', content: 'hi' }] },
      { 'x-bascule-on-behalf-of': keys.lister!.id },
    );
    expect(r.status).toBe(403);
    expect(await errorOf(r)).toMatchObject({
      code: 'on_behalf_not_allowed',
      param: 'x-bascule-on-behalf-of',
    });
  });

  it('never touches a budget, or keeps anything, for listings', async () => {
    const k = keys.lister!;
    // One priced request first, so the key has a largest cost that admission would reserve.
    expect((await chat(k.key)).status).toBe(200);
    await auth.drain();
    const day = new Date().toISOString().slice(0, 10);
    const before = await redis.hget(keySpendKey(k.id, day), 'reserved');
    for (let i = 0; i < 100; i++) {
      const r = await call(k.key, 'GET', '/v1/models');
      expect(r.status).toBe(200);
    }
    expect(Number(await redis.hget(keySpendKey(k.id, day), 'reserved'))).toBe(Number(before));
    expect(auth.pendingAdmissions()).toBe(0);
    expect(Number(await redis.get(keyMaxCostKey(k.id)))).toBeGreaterThan(0);
  });
});
