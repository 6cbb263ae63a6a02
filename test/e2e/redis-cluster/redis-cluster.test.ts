// The stack on a real three-master Redis Cluster (ADR 0027): `bascule-server` with every role
// given BASCULE_REDIS_URL=redis+cluster://…, and nothing else changed. Keys on with an rpm limit
// and a budget (the admission script), usage read back through the API, an async job through
// the BullMQ worker, and the gateway's in-flight reports read the way the autoscaler reads them —
// all through ioredis' Cluster client, which fails loudly on a command that crosses slots.
import { gatewaysKey, keySpendKey, usageKey } from '@bascule/keyspace';
import { Cluster } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisCluster, type RunningRedisCluster } from '../../support/redis-cluster.js';
import {
  hasKubectl,
  modelYaml,
  routeDoc,
  startStack,
  waitFor,
  type Serve,
  type Stack,
} from '../support/stack.js';

const ADMIN = 'bsc-e2e-redis-cluster-bootstrap-admin-0123456789';
const MODEL = 'cluster-chat';

describe.skipIf(!hasKubectl)('the stack on a three-master Redis Cluster', () => {
  let cluster: RunningRedisCluster;
  let stack: Stack;
  let serve: Serve;
  let redis: Cluster;

  beforeAll(async () => {
    // Budgets and usage are per UTC day: a run crossing midnight would see them reset.
    await waitFor(
      'not the last two minutes of a UTC day',
      () => 86_400_000 - (Date.now() % 86_400_000) > 120_000,
      130_000,
    );
    cluster = await startRedisCluster();
    redis = new Cluster(
      cluster.nodes.map((n) => ({ host: n.host, port: n.port })),
      { redisOptions: { maxRetriesPerRequest: 2 } },
    );
    stack = await startStack({
      nodes: 'l4:1x1',
      providers: { openai: { seed: 27, outputTokens: { min: 8, max: 8 } } },
    });
    await stack.apply([
      modelYaml(MODEL, {
        source: `hf://example/${MODEL}`,
        engine: 'vllm',
        gpus: 'nvidia-l4:1',
        maxConcurrency: 16,
        replicas: 1,
      }),
      routeDoc('local', {
        strategy: 'priority',
        targets: [{ model: MODEL }],
        allowExternal: false,
      }),
      routeDoc('frontier', {
        strategy: 'priority',
        targets: [{ provider: 'openai', model: 'gpt-5-mini' }],
      }),
    ]);
    serve = await stack.serve({
      roles: 'controller,gateway,worker,api',
      env: {
        BASCULE_REDIS_URL: cluster.url,
        BASCULE_AUTH: 'keys',
        BASCULE_ADMIN_KEY: ADMIN,
        BASCULE_WEBHOOK_SIGNING_KEY: 'redis-cluster-test-signing-key',
      },
    });
    await stack.h.kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `model/${MODEL}`]);
  }, 240_000);

  afterAll(async () => {
    redis?.disconnect();
    await stack?.close();
    await cluster?.stop();
  });

  const createKey = async (body: object): Promise<{ id: string; key: string }> => {
    const r = await fetch(`${serve.api}/api/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(r.status).toBe(201);
    return (await r.json()) as { id: string; key: string };
  };
  const ask = async (key: string, model: string): Promise<number> => {
    const client = new OpenAI({ baseURL: `${serve.gateway}/v1`, apiKey: key, maxRetries: 0 });
    try {
      await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Say hi.' }],
        max_tokens: 8,
      });
      return 200;
    } catch (err) {
      if (err instanceof OpenAI.APIError)
        return (err as unknown as { status?: number }).status ?? 0;
      throw err;
    }
  };

  it('admits with keys, an rpm limit shared in the cluster, and a budget that stops spending', async () => {
    // rpm: one UTC minute's window; a burst must not straddle a minute boundary.
    for (let attempt = 1; ; attempt++) {
      await waitFor(
        'not the last seconds of a minute',
        () => new Date().getUTCSeconds() < 50,
        15_000,
      );
      const limited = await createKey({ name: `limited-${attempt}`, rpm: 3 });
      const minute = new Date().toISOString().slice(0, 16);
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push(await ask(limited.key, 'local'));
      if (new Date().toISOString().slice(0, 16) !== minute && attempt < 3) continue;
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      break;
    }
    expect(await ask('bsc-not-a-key-of-this-cluster', 'local')).toBe(401);

    // Budget: the first closed-API request is admitted (nothing spent), its real cost settles
    // past the tiny budget, and the next is refused.
    const budgeted = await createKey({
      name: 'budgeted',
      budget: { usd: 0.000001, period: 'day' },
    });
    expect(await ask(budgeted.key, 'frontier')).toBe(200);
    const day = new Date().toISOString().slice(0, 10);
    await waitFor(
      'the spend settled in the cluster',
      async () => Number(await redis.hget(keySpendKey(budgeted.id, day), 'spent')) > 0,
      20_000,
    );
    expect(await ask(budgeted.key, 'frontier')).toBe(402);

    // Usage, flushed by the gateway's script into the cluster, read back through the API.
    const usage = await waitFor(
      'usage of the budgeted key through the API',
      async () => {
        const r = await fetch(`${serve.api}/api/v1/usage?by=key`, {
          headers: { authorization: `Bearer ${ADMIN}` },
        });
        const body = (await r.json()) as {
          rows: { name: string; requests: number; costUSD: number }[];
        };
        const row = body.rows.find((x) => x.name === budgeted.id);
        return row && row.requests >= 2 ? row : undefined;
      },
      30_000,
    );
    expect(usage.requests).toBe(2);
    expect(usage.costUSD).toBeGreaterThan(0);
    expect(Number(await redis.hget(usageKey(day, 'key', budgeted.id), 'requests'))).toBe(2);
  }, 120_000);

  it('runs an async job through the BullMQ worker on the cluster', async () => {
    const user = await createKey({ name: 'jobs' });
    const posted = await fetch(`${serve.api}/api/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: MODEL,
        body: { messages: [{ role: 'user', content: 'Say a job.' }], max_tokens: 8 },
      }),
    });
    expect(posted.status).toBe(202);
    const { id } = (await posted.json()) as { id: string };
    const done = await waitFor(
      `job ${id} finished`,
      async () => {
        const r = await fetch(`${serve.api}/api/v1/jobs/${id}`, {
          headers: { authorization: `Bearer ${user.key}` },
        });
        const body = (await r.json()) as { status: string };
        return ['succeeded', 'failed', 'cancelled'].includes(body.status) ? body : undefined;
      },
      60_000,
    );
    expect(done.status).toBe('succeeded');
  }, 90_000);

  it('reports the gateway in flight to the autoscaler, and spreads keys over the masters', async () => {
    const beats = await waitFor(
      'a gateway heartbeat in the cluster',
      async () => {
        const h = await redis.hgetall(gatewaysKey());
        return Object.keys(h).length > 0 ? h : undefined;
      },
      20_000,
    );
    for (const at of Object.values(beats)) expect(Date.now() - Number(at)).toBeLessThan(15_000);
    const cap = await fetch(`${serve.api}/api/v1/models/${MODEL}/status`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(cap.status).toBe(200);
    const body = (await cap.json()) as { load: { inFlight: number; requestsToday: number } };
    expect(body.load.inFlight).toBe(0);
    expect(body.load.requestsToday).toBeGreaterThan(0);
    // The families' hash tags land on different masters: the cluster is really used.
    const sizes = await Promise.all(redis.nodes('master').map((n) => n.dbsize()));
    expect(sizes.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    // Nothing crossed a slot: the server never logged a CROSSSLOT or MOVED failure.
    expect(serve.output()).not.toMatch(/CROSSSLOT|non local key|ClusterAllFailedError/);
  }, 60_000);
});
