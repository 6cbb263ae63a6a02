import {
  DEFAULT_PREFIX,
  keySpendKey,
  minuteSeriesKey,
  routeSpendKey,
  usageKey,
} from '@bascule/keyspace';
import type { Express } from 'express';
import { epochMinute } from '@bascule/gateway';
import { allowQuery, namespaceOf, requireRole } from '../access.js';
import { ApiError } from '../api-error.js';
import { principalOf, type ApiDeps } from '../api-deps.js';
import { slidingRpm, storedScopes } from '../dashboard/dashboard-scope.js';
import { readMinuteSeries } from '../dashboard/read-minute-series.js';
import { summarizeSeries } from '../dashboard/summarize-series.js';
import { crd, type KubeObject } from '../resource-kinds.js';

const MAX_MINUTES = 24 * 60;

/**
 * The dashboard's data (docs/dashboard.md), behind the same key check as every /api/v1 call:
 * GET /api/v1/dashboard/whoami, /series, /keys and /routes. What a key sees follows its role
 * (see storedScopes); Models, Providers and batches come from their own endpoints.
 */
export function dashboardRoutes(app: Express, deps: ApiDeps): void {
  const prefix = deps.prefix ?? DEFAULT_PREFIX;
  const now = deps.now ?? Date.now;
  const redisOr503 = () => {
    if (!deps.redis)
      throw new ApiError(
        503,
        'series_unavailable',
        'the dashboard series need Redis (BASCULE_REDIS_URL)',
      );
    return deps.redis;
  };
  const tenantKeyIds = async (role: string, tenant: string) =>
    role === 'operator' && deps.keys ? deps.keys.idsOf(tenant) : [];

  app.get('/api/v1/dashboard/whoami', (req, res) => {
    allowQuery(req);
    const p = principalOf(res);
    res.json({
      keyId: p.keyId,
      name: p.name,
      tenant: p.tenant,
      role: p.role,
      pages:
        p.role === 'user'
          ? ['overview', 'keys', 'batches']
          : ['overview', 'models', 'routes', 'keys', 'batches'],
      ...(deps.prometheusUrl ? { prometheusUrl: deps.prometheusUrl } : {}),
    });
  });

  app.get('/api/v1/dashboard/series', async (req, res) => {
    allowQuery(req, 'scopes', 'minutes');
    const minutes = req.query.minutes === undefined ? 60 : Number(req.query.minutes);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES)
      throw new ApiError(
        400,
        'invalid_query',
        `minutes must be an integer from 1 to ${MAX_MINUTES}`,
        '?minutes',
      );
    const raw = typeof req.query.scopes === 'string' ? req.query.scopes : 'overview';
    const wanted = raw.split(',').filter(Boolean);
    if (wanted.length === 0 || wanted.length > 20)
      throw new ApiError(400, 'invalid_query', 'give 1 to 20 comma-separated scopes', '?scopes');
    const p = principalOf(res);
    const ids = await tenantKeyIds(p.role, p.tenant);
    const plan = wanted.map((s) => ({ scope: s, stored: storedScopes(s, p, ids) }));
    const redis = redisOr503();
    const t = now();
    const series: Record<string, ReturnType<typeof summarizeSeries>> = {};
    for (const { scope, stored } of plan) {
      const r = await readMinuteSeries(redis, prefix, stored, minutes, t);
      series[scope] = summarizeSeries(r.minutes, r.firstMinute);
    }
    res.json({ now: t, minutes, series });
  });

  app.get('/api/v1/dashboard/keys', async (req, res) => {
    allowQuery(req);
    const p = principalOf(res);
    const redis = redisOr503();
    if (!deps.keys) throw new ApiError(503, 'keys_unavailable', 'keys need Redis');
    const all =
      p.role === 'admin'
        ? await deps.keys.list()
        : p.role === 'operator'
          ? await deps.keys.list(p.tenant)
          : [await deps.keys.get(p.keyId)].filter((k) => k !== undefined);
    // The bootstrap admin key is not stored: list it too, so its own traffic shows.
    if (!all.some((k) => k.id === p.keyId) && (p.role === 'admin' || p.role === 'user'))
      all.push({
        id: p.keyId,
        name: p.name,
        tenant: p.tenant,
        role: p.role,
        prefix: '',
        createdAt: '',
      });
    const t = now();
    const iso = new Date(t).toISOString();
    const last = epochMinute(t) - 1;
    // Three key families (slots on a Redis Cluster): sent together, not as one pipeline.
    const reads: Promise<string | null>[] = [];
    for (const k of all) {
      // Spend in the budget's period (the admission ledger), or today's metered cost without one.
      if (k.budget)
        reads.push(
          redis.hget(
            keySpendKey(
              k.id,
              k.budget.period === 'day' ? iso.slice(0, 10) : iso.slice(0, 7),
              prefix,
            ),
            'spent',
          ),
        );
      else reads.push(redis.hget(usageKey(iso.slice(0, 10), 'key', k.id, prefix), 'cost_usd'));
      reads.push(redis.hget(minuteSeriesKey(last, `key:${k.id}`, prefix), 'req'));
      reads.push(redis.hget(minuteSeriesKey(last + 1, `key:${k.id}`, prefix), 'req'));
    }
    const r = (await Promise.all(reads)).map((v) => Number(v ?? 0));
    const keys = all.map((k, i) => ({
      id: k.id,
      name: k.name,
      tenant: k.tenant,
      role: k.role,
      spentUSD: r[3 * i]!,
      spentPeriod: k.budget?.period ?? 'day',
      ...(k.budget ? { budget: k.budget } : {}),
      rpm: slidingRpm(r[3 * i + 1]!, r[3 * i + 2]!, t),
      ...(k.rpm ? { rpmLimit: k.rpm } : {}),
    }));
    const tenants = new Map<
      string,
      { tenant: string; keys: number; spentUSD: number; rpm: number }
    >();
    for (const k of keys) {
      const x = tenants.get(k.tenant) ?? { tenant: k.tenant, keys: 0, spentUSD: 0, rpm: 0 };
      x.keys++;
      x.spentUSD += k.spentUSD;
      x.rpm += k.rpm;
      tenants.set(k.tenant, x);
    }
    res.json({ keys, tenants: [...tenants.values()] });
  });

  app.get('/api/v1/dashboard/routes', async (req, res) => {
    requireRole(res, 'admin', 'operator');
    allowQuery(req, 'namespace');
    const namespace = namespaceOf(req, deps.namespace);
    const redis = redisOr503();
    const list = (await deps.kube.custom.listNamespacedCustomObject(crd('routes', namespace))) as {
      items: KubeObject[];
    };
    const iso = new Date(now()).toISOString();
    const pipe = redis.pipeline();
    for (const r of list.items) {
      const route = `${namespace}/${r.metadata.name}`;
      pipe.get(routeSpendKey(route, iso.slice(0, 10), prefix));
      pipe.get(routeSpendKey(route, iso.slice(0, 7), prefix));
    }
    const spend = ((await pipe.exec()) ?? []).map(([, v]) => Number(v ?? 0));
    res.json({
      namespace,
      routes: list.items.map((r, i) => {
        const spec = (r.spec ?? {}) as {
          strategy?: string;
          targets?: { model?: string; provider?: string; tier?: string }[];
          budgets?: { dailyUSD?: number; monthlyUSD?: number };
          complexity?: { strongShare?: number };
        };
        return {
          name: r.metadata.name,
          strategy: spec.strategy ?? 'priority',
          targets: (spec.targets ?? []).map((x) => ({
            name: x.provider ? `${x.provider}/${x.model ?? ''}` : (x.model ?? ''),
            kind: x.provider ? 'closed' : 'self-hosted',
            ...(x.tier ? { tier: x.tier } : {}),
          })),
          ...(spec.complexity?.strongShare !== undefined
            ? { strongShareGoal: spec.complexity.strongShare }
            : {}),
          budgets: spec.budgets ?? {},
          spentUSD: { day: spend[2 * i]!, month: spend[2 * i + 1]! },
        };
      }),
    });
  });
}
