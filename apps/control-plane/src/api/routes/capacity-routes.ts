import { readGatewayCounts } from '@bascule/autoscaler/io';
import { DEFAULT_PREFIX } from '@bascule/keyspace';
import type { Express } from 'express';
import { computeGpuCapacity, type GpuCapacity } from '@bascule/controller';
import { allowQuery, nameParam, namespaceOf, requireRole } from '../access.js';
import type { ApiDeps } from '../api-deps.js';
import { crd, type KubeObject } from '../resource-kinds.js';
import { call, getObject } from './resource-routes.js';
import { readUsage } from './usage-reader.js';

export interface GpuTypeRow {
  type: string;
  total: number;
  used: number;
  free: number;
  /** GPUs wanted by Model replicas that are desired but not ready. */
  pending: number;
}

/** GET /api/v1/capacity and GET /api/v1/models/{name}/status. */
export function capacityRoutes(app: Express, deps: ApiDeps): void {
  app.get('/api/v1/capacity', async (req, res) => {
    requireRole(res, 'admin', 'operator');
    allowQuery(req, 'namespace');
    const namespace = namespaceOf(req, deps.namespace);
    const cap = await gpuCapacity(deps);
    const models = (await call('list models', () =>
      deps.kube.custom.listNamespacedCustomObject(crd('models', namespace)),
    )) as { items: KubeObject[] };
    res.json({ gpus: rows(cap, models.items) });
  });

  app.get('/api/v1/models/:name/status', async (req, res) => {
    requireRole(res, 'admin', 'operator');
    allowQuery(req, 'namespace');
    const namespace = namespaceOf(req, deps.namespace);
    const name = nameParam(req);
    const model = await getObject(deps, 'models', namespace, name);
    const status = (model.status ?? {}) as {
      conditions?: unknown[];
      replicas?: { desired?: number; ready?: number };
      endpoints?: unknown[];
    };
    const gpu = gpuOf(model);
    const cap = await gpuCapacity(deps);
    const events = await call('list events', () =>
      deps.kube.core.listNamespacedEvent({ namespace }),
    );
    const day = new Date().toISOString().slice(0, 10);
    const usage = deps.redis
      ? await readUsage(deps.redis, deps.prefix ?? DEFAULT_PREFIX, day, day, 'target')
      : [];
    const mine = usage.find((u) => u.name === name);
    // Requests that overflowed away from this Model today, by reason (`{model}:{reason}` rows).
    const away = deps.redis
      ? (
          await readUsage(deps.redis, deps.prefix ?? DEFAULT_PREFIX, day, day, 'overflowed-from')
        ).filter((u) => u.name.startsWith(`${name}:`))
      : [];
    const awayByReason: Record<string, number> = {};
    for (const u of away) awayByReason[u.name.slice(name.length + 1)] = u.requests;
    // The autoscaler's own reader: stale gateways are ignored here as they are there.
    const inflight = deps.redis
      ? (await readGatewayCounts(deps.redis, name, deps.prefix ? { prefix: deps.prefix } : {}))
          .inFlight
      : 0;
    res.json({
      name,
      namespace,
      generation: model.metadata.generation ?? null,
      conditions: status.conditions ?? [],
      replicas: { desired: status.replicas?.desired ?? 0, ready: status.replicas?.ready ?? 0 },
      endpoints: status.endpoints ?? [],
      gpu: gpu ? { type: gpu.type, perReplica: gpu.count, ...(row(cap, gpu.type) ?? {}) } : null,
      load: { inFlight: inflight, requestsToday: mine?.requests ?? 0 },
      /** Requests this Model served as another target's overflow. */
      overflowToday: mine?.overflow ?? 0,
      /** Requests that overflowed away from this Model today, and why. */
      overflowedAwayToday: {
        total: away.reduce((a, u) => a + u.requests, 0),
        byReason: awayByReason,
      },
      events: events.items
        .filter((e) => e.involvedObject.kind === 'Model' && e.involvedObject.name === name)
        .slice(-20)
        .map((e) => ({
          type: e.type ?? 'Normal',
          reason: e.reason ?? '',
          message: e.message ?? '',
          count: e.count ?? 1,
          lastTimestamp: e.lastTimestamp ? new Date(e.lastTimestamp).toISOString() : null,
        })),
    });
  });
}

async function gpuCapacity(deps: ApiDeps): Promise<GpuCapacity> {
  if (deps.capacity) return deps.capacity();
  const nodes = await call('list nodes', () => deps.kube.core.listNode());
  const pods = await call('list pods', () => deps.kube.core.listPodForAllNamespaces());
  return computeGpuCapacity(nodes.items, pods.items);
}

function row(cap: GpuCapacity, type: string) {
  const c = cap.byType[type];
  return c ? { total: c.allocatable, used: c.used, free: c.free } : undefined;
}

function gpuOf(model: KubeObject): { type: string; count: number } | undefined {
  const g = model.spec?.gpus;
  if (typeof g !== 'string') return undefined;
  const i = g.lastIndexOf(':');
  return i > 0 ? { type: g.slice(0, i), count: Number(g.slice(i + 1)) || 0 } : undefined;
}

function rows(cap: GpuCapacity, models: KubeObject[]): GpuTypeRow[] {
  const pending = new Map<string, number>();
  for (const m of models) {
    const g = gpuOf(m);
    const r = (m.status as { replicas?: { desired?: number; ready?: number } } | undefined)
      ?.replicas;
    if (!g || !r) continue;
    const missing = Math.max(0, (r.desired ?? 0) - (r.ready ?? 0));
    pending.set(g.type, (pending.get(g.type) ?? 0) + missing * g.count);
  }
  const types = new Set([...Object.keys(cap.byType), ...pending.keys()]);
  return [...types].sort().map((type) => ({
    type,
    total: cap.byType[type]?.allocatable ?? 0,
    used: cap.byType[type]?.used ?? 0,
    free: cap.byType[type]?.free ?? 0,
    pending: pending.get(type) ?? 0,
  }));
}
