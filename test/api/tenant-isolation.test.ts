import { queueAuthenticate } from '@bascule/control-plane';
import {
  createKeyAuthenticator,
  createRedisClient,
  createRedisKeyStore,
  type Redis,
} from '@bascule/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelResource, routeResource } from '../gateway/support/fixtures.js';
import { startQueueStack, type QueueStack } from '../queue/support/queue-stack.js';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';

/** The job and Batch API behind bsc- keys: a tenant sees only its own jobs, batches and files. */
describe('tenant isolation of jobs, batches and files', () => {
  let redisServer: RunningRedisServer;
  let redis: Redis;
  let stack: QueueStack;
  let keyA: string;
  let keyB: string;
  const ids: { job?: string; batch?: string; file?: string } = {};

  const as = (
    key: string | undefined,
    method: string,
    path: string,
    body?: string | FormData,
    type?: string,
  ) =>
    fetch(`${stack.url}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(type ? { 'content-type': type } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = createRedisClient(redisServer.url);
    const keys = createRedisKeyStore(redis);
    keyA = (await keys.create({ name: 'a', tenant: 'tenant-a' })).key;
    keyB = (await keys.create({ name: 'b', tenant: 'tenant-b' })).key;
    stack = await startQueueStack({
      redis: redisServer,
      models: [modelResource('small')],
      routes: [routeResource('chat', { targets: [{ model: 'small' }] })],
      handler: { authenticate: queueAuthenticate(createKeyAuthenticator({ redis })) },
    });
    // Tenant A: one job, one file, one batch.
    const job = await as(
      keyA,
      'POST',
      '/api/v1/jobs',
      JSON.stringify({ route: 'chat', body: { messages: [{ role: 'user', content: 'hi' }] } }),
      'application/json',
    );
    expect(job.status).toBe(202);
    ids.job = ((await job.json()) as { id: string }).id;
    const form = new FormData();
    form.append('purpose', 'batch');
    const line = JSON.stringify({
      custom_id: 'r1',
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'chat', messages: [{ role: 'user', content: 'hi' }] },
    });
    form.append('file', new Blob([line + '\n']), 'in.jsonl');
    const file = await as(keyA, 'POST', '/v1/files', form);
    expect(file.status).toBe(200);
    ids.file = ((await file.json()) as { id: string }).id;
    const batch = await as(
      keyA,
      'POST',
      '/v1/batches',
      JSON.stringify({
        input_file_id: ids.file,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      }),
      'application/json',
    );
    expect(batch.status).toBe(200);
    ids.batch = ((await batch.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await stack?.close();
    redis?.disconnect();
    await redisServer?.stop();
  });

  it.each([
    ['GET job', 'GET', () => `/api/v1/jobs/${ids.job}`],
    ['DELETE job', 'DELETE', () => `/api/v1/jobs/${ids.job}`],
    ['GET file', 'GET', () => `/v1/files/${ids.file}`],
    ['GET file content', 'GET', () => `/v1/files/${ids.file}/content`],
    ['GET batch', 'GET', () => `/v1/batches/${ids.batch}`],
    ['cancel batch', 'POST', () => `/v1/batches/${ids.batch}/cancel`],
  ])('%s: the owner reads it, another tenant gets 404', async (_what, method, path) => {
    const other = await as(keyB, method, path());
    expect(other.status).toBe(404);
    if (method === 'GET') expect((await as(keyA, method, path())).status).toBe(200);
  });

  it("batch lists hold only the caller's batches", async () => {
    const a = (await (await as(keyA, 'GET', '/v1/batches')).json()) as { data: { id: string }[] };
    const b = (await (await as(keyB, 'GET', '/v1/batches')).json()) as { data: { id: string }[] };
    expect(a.data.map((x) => x.id)).toContain(ids.batch);
    expect(b.data).toEqual([]);
  });

  it("job lists hold only the caller's jobs, newest first", async () => {
    const second = await as(
      keyA,
      'POST',
      '/api/v1/jobs',
      JSON.stringify({ route: 'chat', body: { messages: [{ role: 'user', content: 'again' }] } }),
      'application/json',
    );
    const newest = ((await second.json()) as { id: string }).id;
    type List = { object: string; data: { id: string; object: string; owner?: string }[] };
    const a = (await (await as(keyA, 'GET', '/api/v1/jobs')).json()) as List;
    const b = (await (await as(keyB, 'GET', '/api/v1/jobs')).json()) as List;
    expect(a.object).toBe('list');
    expect(a.data.map((x) => x.id)).toEqual([newest, ids.job]);
    expect(a.data.every((x) => x.object === 'job' && x.owner === undefined)).toBe(true);
    expect(b.data).toEqual([]);
    const one = (await (await as(keyA, 'GET', '/api/v1/jobs?limit=1')).json()) as List;
    expect(one.data.map((x) => x.id)).toEqual([newest]);
    const bad = await as(keyA, 'GET', '/api/v1/jobs?limit=0');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('limit');
  });

  it('no key, or a bad one, is 401 in the queue error shape', async () => {
    for (const key of [undefined, 'bsc-unknown-key']) {
      const r = await as(key, 'GET', `/api/v1/jobs/${ids.job}`);
      expect(r.status).toBe(401);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    }
  });
});
