// The dashboard's data path without a browser: gateway usage records go through the metering
// sink the gateway role uses (meteringSink: usage counters + per-minute series) into a private
// redis-server, and the control API serves them back per role; the api role serves the built
// assets at /dashboard/. (The browser test is test/e2e/dashboard.)
import { minuteSeriesKey, routeSpendKey } from '@bascule/keyspace';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type DashboardSeries, type RunningApi } from '@bascule/control-plane';
import {
  createKeyAuthenticator,
  createRedisClient,
  createRedisKeyStore,
  createRedisUsageSink,
  withMinuteSeries,
  type Redis,
  type UsageRecord,
} from '@bascule/gateway';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../controller/support/controller-harness.js';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';

const ADMIN = 'bsc-bootstrap-admin-key-for-tests-0123456789';
const NOW = Date.UTC(2026, 0, 15, 12, 30, 20);
const ROUTE = `apiVersion: bascule.dev/v1alpha1
kind: Route
metadata:
  name: chat
spec:
  strategy: complexity
  targets:
    - model: small
      tier: simple
    - provider: openai
      model: gpt-5
      tier: complex
  budgets:
    dailyUSD: 10
`;

/** The parts of the dashboard endpoints' answers these tests read. */
interface Body {
  series: Record<string, DashboardSeries>;
  error: { code: string; path?: string };
  keys: { name: string; rpm: number; spentUSD: number; spentPeriod: string }[];
  tenants: { tenant: string }[];
  routes: {
    name: string;
    budgets: { dailyUSD?: number };
    spentUSD: { day: number };
    targets: unknown[];
  }[];
}

describe('dashboard API: per-minute series in Redis, scoped by role', () => {
  let h: Harness;
  let redisServer: RunningRedisServer;
  let redis: Redis;
  let api: RunningApi;
  let assets: string;
  const key: Record<string, { id: string; key: string }> = {};

  const rec = (r: Partial<UsageRecord>): UsageRecord => ({
    key: 'k',
    route: 'chat',
    target: 'small',
    targetKind: 'model',
    reason: 'complexity',
    status: 200,
    promptTokens: 10,
    completionTokens: 20,
    latencyMs: 100,
    overheadMs: 1,
    costUSD: 0.001,
    at: NOW - 60_000,
    ...r,
  });
  const get = async (path: string, token = ADMIN) => {
    const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Body };
  };

  beforeAll(async () => {
    h = await startHarness('l4:1x1');
    await h.kubectl(['apply', '-f', '-'], ROUTE);
    redisServer = await startRedisServer();
    redis = createRedisClient(redisServer.url);
    const keys = createRedisKeyStore(redis);
    for (const [name, tenant, role] of [
      ['alice', 'team-a', 'user'],
      ['bob', 'team-a', 'user'],
      ['ops-a', 'team-a', 'operator'],
      ['carol', 'team-b', 'user'],
    ] as const) {
      const k = await keys.create({
        name,
        tenant,
        role,
        ...(name === 'carol' ? {} : { budget: { usd: 1, period: 'day' as const } }),
      });
      key[name] = { id: k.info.id, key: k.key };
    }
    assets = mkdtempSync(join(tmpdir(), 'bsc-dash-assets-'));
    writeFileSync(join(assets, 'index.html'), '<!doctype html><title>Bascule dashboard</title>');
    api = await startApi(
      {
        kube: h.client,
        redis,
        keys,
        auth: createKeyAuthenticator({ redis, adminKey: ADMIN }),
        logger: pino({ level: 'silent' }),
        registry: new Registry(),
        namespace: 'default',
        dashboardDir: assets,
        prometheusUrl: 'http://127.0.0.1:9/metrics',
        now: () => NOW,
      },
      '127.0.0.1',
      0,
    );
    // What gateways meter, two replicas' worth (two sinks on one Redis): alice 3 requests (one
    // overflowed, one streamed), bob 1, carol 2 (one 429 refused), one minute ago.
    const a = withMinuteSeries(createRedisUsageSink({ redis, gatewayId: 'g1' }), {
      redis,
      flushMs: 60_000,
    });
    const b = withMinuteSeries(createRedisUsageSink({ redis, gatewayId: 'g2' }), {
      redis,
      flushMs: 60_000,
    });
    a.record(rec({ key: key.alice!.id, latencyMs: 80 }));
    a.record(rec({ key: key.alice!.id, latencyMs: 120, ttftMs: 40 }));
    a.record(
      rec({
        key: key.alice!.id,
        target: 'openai/gpt-5-mini',
        targetKind: 'provider',
        reason: 'overflow:unschedulable',
        costUSD: 0.01,
        latencyMs: 900,
      }),
    );
    b.record(rec({ key: key.bob!.id, target: 'openai/gpt-5', targetKind: 'provider' }));
    b.record(rec({ key: key.carol!.id }));
    b.record(
      rec({
        key: key.carol!.id,
        status: 429,
        refused: true,
        target: 'none',
        targetKind: 'none',
        promptTokens: 0,
        completionTokens: 0,
        costUSD: 0,
      }),
    );
    // Closing flushes what is still in memory: nothing is lost on shutdown.
    await Promise.all([a.close(), b.close()]);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    redis?.disconnect();
    await redisServer?.stop();
    await h?.close();
    rmSync(assets, { recursive: true, force: true });
  });

  it('keeps one hash per minute and scope with a 25-hour expiry', async () => {
    const minute = Math.floor((NOW - 60_000) / 60_000);
    const all = await redis.hgetall(minuteSeriesKey(minute, 'all'));
    expect(Number(all.req)).toBe(6);
    expect(Number(all.err)).toBe(1);
    expect(Number(all['ovf:unschedulable'])).toBe(1);
    expect(Number(all.req_closed)).toBe(2);
    expect(Number(all.req_self)).toBe(3);
    const ttl = await redis.ttl(minuteSeriesKey(minute, 'all'));
    expect(ttl).toBeGreaterThan(24 * 3600);
    expect(ttl).toBeLessThanOrEqual(25 * 3600);
    const route = await redis.hgetall(minuteSeriesKey(minute, 'route:chat'));
    expect(Number(route['dec:openai/gpt-5-mini|overflow:unschedulable'])).toBe(1);
    expect(Number(route['dec:small|complexity'])).toBe(3);
  });

  it('gives an admin every request: rates, $/h split, overflow share, latency quantiles', async () => {
    const { status, body } = await get('/api/v1/dashboard/series?minutes=5');
    expect(status).toBe(200);
    const s = body.series.overview!;
    expect(s.points).toBe(5);
    expect(s.totals.requests).toBe(6);
    expect(s.requestsPerS[3]).toBeCloseTo(6 / 60, 5);
    expect(s.requestsPerS[4]).toBe(0);
    expect(s.usdPerHourClosed[3]).toBeCloseTo(0.011 * 60, 6);
    expect(s.usdPerHourSelf[3]).toBeCloseTo(0.003 * 60, 6);
    expect(s.overflowShare.unschedulable![3]).toBeCloseTo(1 / 6, 3);
    // Five served latencies 80, 100, 100, 120, 900 ms: p50 near 100, p99 near 900 (1.5x buckets).
    expect(s.latencyP50Ms[3]).toBeGreaterThan(100 / 1.5);
    expect(s.latencyP50Ms[3]).toBeLessThan(100 * 1.5);
    expect(s.latencyP99Ms[3]).toBeGreaterThan(900 / 1.5);
    expect(s.ttftP50Ms[3]).toBeGreaterThan(40 / 1.5);
    expect(s.ttftP50Ms[3]).toBeLessThan(40 * 1.5);
    expect(s.latencyP50Ms[4]).toBeNull();
  });

  it('gives an operator its tenant, a user only its own key', async () => {
    const op = await get('/api/v1/dashboard/series?minutes=5', key['ops-a']!.key);
    expect(op.body.series.overview!.totals.requests).toBe(4); // alice 3 + bob 1
    const alice = await get('/api/v1/dashboard/series?minutes=5', key.alice!.key);
    expect(alice.body.series.overview!.totals.requests).toBe(3);
    const carol = await get('/api/v1/dashboard/series?minutes=5', key.carol!.key);
    expect(carol.body.series.overview!.totals.requests).toBe(2);
    expect(carol.body.series.overview!.totals.errors).toBe(1);

    const forbidden = [
      [key.alice!.key, `key:${key.bob!.id}`],
      [key.alice!.key, 'route:chat'],
      [key.alice!.key, 'model:default/small'],
      [key['ops-a']!.key, `key:${key.carol!.id}`],
      [key['ops-a']!.key, 'target:small'],
    ] as const;
    for (const [token, scope] of forbidden) {
      const r = await get(`/api/v1/dashboard/series?scopes=${scope}`, token);
      expect(r.status, scope).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
    expect(
      (await get(`/api/v1/dashboard/series?scopes=key:${key.bob!.id}`, key['ops-a']!.key)).status,
    ).toBe(200);
    expect((await get('/api/v1/dashboard/routes', key.alice!.key)).status).toBe(403);
  });

  it('lists keys with spend and rpm as the role may see them', async () => {
    const mine = await get('/api/v1/dashboard/keys', key.alice!.key);
    expect(mine.body.keys.map((k) => k.name)).toEqual(['alice']);
    // Requests of the previous minute, weighted by what the sliding minute still covers (20 s in).
    expect(mine.body.keys[0]!.rpm).toBe(Math.round(3 * (40 / 60)));
    const tenant = await get('/api/v1/dashboard/keys', key['ops-a']!.key);
    expect(tenant.body.keys.map((k) => k.name).sort()).toEqual(['alice', 'bob', 'ops-a']);
    // carol has no budget: her spend is today's metered cost (one $0.001 request; the 429 is free).
    const carol = await get('/api/v1/dashboard/keys', key.carol!.key);
    expect(carol.body.keys[0]!.spentUSD).toBeCloseTo(0.001, 9);
    expect(carol.body.keys[0]!.spentPeriod).toBe('day');
    const all = await get('/api/v1/dashboard/keys');
    expect(all.body.tenants.map((t) => t.tenant).sort()).toEqual(['admin', 'team-a', 'team-b']);
    const who = await get('/api/v1/dashboard/whoami', key.alice!.key);
    expect(who.body as unknown).toMatchObject({
      role: 'user',
      tenant: 'team-a',
      pages: ['overview', 'keys', 'batches'],
    });
  });

  it('shows Route budgets against their limits', async () => {
    await redis.set(routeSpendKey('default/chat', new Date(NOW).toISOString().slice(0, 10)), '2.5');
    const { body } = await get('/api/v1/dashboard/routes');
    const chat = body.routes.find((r) => r.name === 'chat')!;
    expect(chat.budgets.dailyUSD).toBe(10);
    expect(chat.spentUSD.day).toBe(2.5);
    expect(chat.targets).toEqual([
      { name: 'small', kind: 'self-hosted', tier: 'simple' },
      { name: 'openai/gpt-5', kind: 'closed', tier: 'complex' },
    ]);
  });

  it('refuses bad queries with the parameter named, and unauthenticated calls', async () => {
    for (const q of [
      'minutes=0',
      'minutes=1441',
      'minutes=abc',
      'scopes=nope',
      'scopes=key:a%20b',
      'other=1',
    ]) {
      const r = await get(`/api/v1/dashboard/series?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.path, q).toMatch(/^\?/);
    }
    const anon = await fetch(`${api.url}/api/v1/dashboard/series`);
    expect(anon.status).toBe(401);
  });

  it('serves the assets at /dashboard/ (from / too) with a strict CSP, and no data without a key', async () => {
    const root = await fetch(`${api.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/dashboard/');
    const page = await fetch(`${api.url}/dashboard/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Bascule dashboard');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${api.url}/dashboard/missing.js`)).status).toBe(404);
  });
});
