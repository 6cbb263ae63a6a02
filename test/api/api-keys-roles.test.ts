import { usageKey } from '@bascule/keyspace';
import type { RunningApi } from '@bascule/control-plane';
import type { Redis } from '@bascule/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl } from '../controller/support/controller-harness.js';
import { startApiStack, type ApiStack } from './support/api-stack.js';

describe.skipIf(!hasKubectl)('control API on kube-sim: keys, roles, tenants', () => {
  let stack: ApiStack;
  let api: RunningApi;
  let redis: Redis;
  const bascule = (args: string[], token?: string) => stack.bascule(args, token);
  const call: ApiStack['call'] = (...args) => stack.call(...args);

  beforeAll(async () => {
    stack = await startApiStack();
    ({ api, redis } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('keys: created once, listed without secrets, revoked at once; user keys cannot use the control API', async () => {
    const created = await call('POST', '/api/v1/keys', {
      name: 'app',
      tenant: 'team-a',
      role: 'user',
      rpm: 10,
    });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { id: string; key: string };
    expect(key.key).toMatch(/^bsc-[A-Za-z0-9_-]{43}$/);
    const listed = await (await call('GET', '/api/v1/keys')).text();
    expect(listed).toContain(key.id);
    expect(listed).not.toContain(key.key);
    const denied = await call('GET', '/api/v1/models', undefined, key.key);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await call('GET', '/api/v1/usage', undefined, key.key)).status).toBe(200);
    expect((await call('DELETE', `/api/v1/keys/${key.id}`)).status).toBe(200);
    const revoked = await call('GET', '/api/v1/usage', undefined, key.key);
    expect(revoked.status).toBe(401);
  });

  it("one tenant cannot read another tenant's usage", async () => {
    const mk = async (tenant: string) =>
      (await (
        await call('POST', '/api/v1/keys', { name: `op-${tenant}`, tenant, role: 'operator' })
      ).json()) as { id: string; key: string };
    const a = await mk('tenant-a');
    const b = await mk('tenant-b');
    const day = new Date().toISOString().slice(0, 10);
    await redis.hset(usageKey(day, 'key', a.id), { requests: 3, cost_usd: 0.5 });
    await redis.hset(usageKey(day, 'key', b.id), { requests: 7, cost_usd: 1.5 });
    const ua = (await (await call('GET', '/api/v1/usage', undefined, a.key)).json()) as {
      rows: { name: string }[];
    };
    expect(ua.rows.map((r) => r.name)).toEqual([a.id]);
    const ub = (await (await call('GET', '/api/v1/usage', undefined, b.key)).json()) as {
      rows: { name: string }[];
    };
    expect(ub.rows.map((r) => r.name)).toEqual([b.id]);
    expect((await call('GET', '/api/v1/usage?by=route', undefined, a.key)).status).toBe(403);
    expect((await call('DELETE', `/api/v1/keys/${b.id}`, undefined, a.key)).status).toBe(404);
    const all = (await (await call('GET', '/api/v1/usage')).json()) as { rows: { name: string }[] };
    expect(all.rows.map((r) => r.name)).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it("bascule get jobs and batches: the key's tenant only", async () => {
    const mk = async (tenant: string) =>
      (await (await call('POST', '/api/v1/keys', { name: `jobs-${tenant}`, tenant })).json()) as {
        key: string;
      };
    const a = await mk('jobs-a');
    const b = await mk('jobs-b');
    const created = await call(
      'POST',
      '/api/v1/jobs',
      { model: 'some-model', body: { messages: [{ role: 'user', content: 'hi' }] } },
      a.key,
    );
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    const mine = await bascule(['get', 'jobs', id], a.key);
    expect(mine.code).toBe(0);
    expect(mine.stdout).toMatch(
      new RegExp(`^ID\\s+STATUS\\s+MODEL[^\\n]*\\n${id}\\s+queued\\s+some-model\\s+normal`),
    );
    const theirs = await bascule(['get', 'jobs', id], b.key);
    expect(theirs.code).toBe(1);
    expect(theirs.stderr).toMatch(/not found|no job/i);
    expect(await bascule(['get', 'batches'], b.key)).toMatchObject({
      code: 0,
      stderr: 'No resources found.\n',
    });
    expect((await bascule(['get', 'jobs'], a.key)).code).toBe(2);
  });

  it('missing or malformed keys get 401', async () => {
    expect((await fetch(`${api.url}/api/v1/models`)).status).toBe(401);
    expect((await call('GET', '/api/v1/models', undefined, 'bsc-not-a-real-key')).status).toBe(401);
    expect((await call('GET', '/api/v1/models', undefined, 'sk-openai-style')).status).toBe(401);
  });
});
