// The chart's Grafana dashboards (charts/bascule/dashboards, shipped in a ConfigMap for Grafana's
// sidecar): rendered with grafanaDashboards.enabled, every query they make is on a metric Bascule
// registers, grouped by labels that metric has. The registered set is built from the real
// registrations of every role (gateway, controller, autoscaler, queue, budgets) plus prom-client's
// default process metrics, so a renamed metric or label fails here, not on a blank panel.
import { PromAutoscalerMetrics } from '@bascule/autoscaler/io';
import {
  registerKeyBudgetMetrics,
  registerQueueMetrics,
  registerRouteBudgetMetrics,
} from '@bascule/control-plane';
import { createControllerMetrics } from '@bascule/controller';
import {
  GatewayMetrics,
  createMemoryRouteBudgetLedger,
  createRedisKeyStore,
  createStaticResources,
} from '@bascule/gateway';
import { Redis } from 'ioredis';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { render, renderUnavailable, type KubeDoc } from './support/render-chart.js';

/** Labels Prometheus adds at scrape time (not ours to register). */
const SCRAPE_LABELS = new Set(['pod', 'instance', 'job', 'namespace', 'le']);

interface Dashboard {
  uid: string;
  title: string;
  panels: { title: string; targets: { expr: string }[] }[];
}

function registeredMetrics(): Map<string, Set<string>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new GatewayMetrics(() => new Map(), registry);
  createControllerMetrics(registry, { queueDepth: () => 0, capacity: () => undefined });
  new PromAutoscalerMetrics(registry);
  const noop = () => undefined;
  registerQueueMetrics(registry, () => Promise.resolve([]), noop);
  registerRouteBudgetMetrics(
    registry,
    createStaticResources({}),
    createMemoryRouteBudgetLedger(),
    noop,
  );
  // Never connected: only the registration is read, nothing is collected.
  const redis = new Redis({ lazyConnect: true });
  registerKeyBudgetMetrics(registry, redis, createRedisKeyStore(redis), noop);
  const out = new Map<string, Set<string>>();
  for (const m of registry.getMetricsAsArray()) {
    const { name, labelNames, type } = m as unknown as {
      name: string;
      labelNames?: string[];
      type?: string;
    };
    const labels = new Set(labelNames ?? []);
    out.set(name, labels);
    if (type === 'histogram' || m.constructor.name === 'Histogram')
      for (const s of ['_bucket', '_sum', '_count']) out.set(name + s, labels);
  }
  return out;
}

describe.skipIf(renderUnavailable !== undefined)('Grafana dashboards in the chart', () => {
  let docs: KubeDoc[];
  let dashboards: Dashboard[];
  beforeAll(async () => {
    docs = await render({ values: [{ grafanaDashboards: { enabled: true } }] });
    const cm = docs.find(
      (d) => d.kind === 'ConfigMap' && d.metadata.labels?.grafana_dashboard === '1',
    );
    expect(cm, 'a ConfigMap with the sidecar label').toBeDefined();
    const data = (cm as unknown as { data: Record<string, string> }).data;
    expect(Object.keys(data).sort()).toEqual(['bascule-capacity.json', 'bascule-overview.json']);
    dashboards = Object.values(data).map((t) => JSON.parse(t) as Dashboard);
  });

  it('is off by default', async () => {
    const plain = await render();
    expect(plain.some((d) => d.metadata.labels?.grafana_dashboard !== undefined)).toBe(false);
  });

  it('queries only metrics Bascule registers, by labels they have', () => {
    const registered = registeredMetrics();
    const used = new Set<string>();
    const problems: string[] = [];
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(dashboards.length);
    for (const d of dashboards) {
      expect(d.panels.length, d.title).toBeGreaterThan(5);
      for (const p of d.panels)
        for (const { expr } of p.targets) {
          const names = [...expr.matchAll(/\b((?:bascule|process|nodejs)_[a-z0-9_]+)\b/g)].map(
            (m) => m[1]!,
          );
          expect(names.length, `${d.title} / ${p.title}: ${expr}`).toBeGreaterThan(0);
          for (const n of names) {
            used.add(n);
            const labels = registered.get(n);
            if (!labels) {
              problems.push(`${d.title} / ${p.title}: ${n} is not registered`);
              continue;
            }
            const grouped = [
              ...expr.matchAll(/\bby \(([^)]*)\)/g),
              ...[...expr.matchAll(new RegExp(`${n}\\{([^}]*)\\}`, 'g'))].map((m) => [
                '',
                m[1]!.replace(/=~?"[^"]*"/g, ''),
              ]),
            ]
              .flatMap((m) => m[1]!.split(','))
              .map((l) => l.trim())
              .filter((l) => l !== '' && !SCRAPE_LABELS.has(l));
            // A `by` may name labels of another metric in the same expression: check it against
            // this one only when the expression queries one metric.
            if (new Set(names).size === 1)
              for (const l of grouped)
                if (!labels.has(l))
                  problems.push(`${d.title} / ${p.title}: ${n} has no label ${l}`);
          }
        }
    }
    expect(problems).toEqual([]);
    // The dashboards cover the new counts: overflow away from Models, queue, budgets, KV cache.
    for (const n of [
      'bascule_gateway_overflowed_from_total',
      'bascule_queue_depth',
      'bascule_queue_oldest_job_age_seconds',
      'bascule_queue_batch_lines_per_second',
      'bascule_route_budget_remaining_usd',
      'bascule_key_budget_remaining_usd',
      'bascule_engine_kv_cache_usage_ratio',
    ])
      expect(used).toContain(n);
  });
});
