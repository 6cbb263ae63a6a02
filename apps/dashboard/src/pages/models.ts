import { api, series } from '../api.js';
import { plotCard, xs } from '../charts.js';
import { el, num, table } from '../dom.js';

interface ModelObject {
  metadata: { name: string; namespace?: string };
  spec: { engine?: string; gpus?: string; replicas?: number };
  status?: {
    replicas?: { desired?: number; ready?: number };
    conditions?: { type: string; status: string; reason?: string }[];
  };
}

/** GPUs per replica from `nvidia-l4:1`-style strings (0 when unknown). */
function gpuCount(s: string | undefined): number {
  const m = /:(\d+)$/.exec(s ?? '');
  return m ? Number(m[1]) : 0;
}

/** Desired/ready replicas, GPUs held, engine queue and KV-cache use, cold starts, per Model. */
export async function models(root: HTMLElement, minutes: number): Promise<void> {
  const list = (await api<{ items: ModelObject[] }>('/api/v1/models')).items;
  const rows = list.map((m) => {
    const r = m.status?.replicas ?? {};
    const ready = m.status?.conditions?.find((c) => c.type === 'Ready');
    const per = gpuCount(m.spec.gpus);
    return [
      m.metadata.name,
      m.spec.engine ?? '',
      `${r.ready ?? 0}/${r.desired ?? 0}`,
      String((r.ready ?? 0) * per),
      ready
        ? `${ready.status === 'True' ? 'Ready' : 'Not ready'}${ready.reason ? ` (${ready.reason})` : ''}`
        : '',
    ];
  });
  root.append(table('Models', ['Model', 'Engine', 'Ready/desired', 'GPUs (ready)', 'State'], rows));
  if (list.length === 0) return;
  const scopes = list.map((m) => `model:${m.metadata.namespace ?? 'default'}/${m.metadata.name}`);
  const targets = list.map((m) => `target:${m.metadata.name}`);
  const all = await series([...scopes, ...targets].slice(0, 20), minutes).catch(() =>
    series(scopes.slice(0, 20), minutes),
  );
  const grid = el('div', { class: 'grid' });
  root.append(grid);
  for (const m of list) {
    const s = all[`model:${m.metadata.namespace ?? 'default'}/${m.metadata.name}`];
    if (!s) continue;
    const x = xs(s);
    const g = (k: string) => s.gauges[k] ?? new Array<number | null>(s.points).fill(null);
    const name = m.metadata.name;
    const cold = Object.values(g('cold')).reduce<number>((a, b) => a + (b ?? 0), 0);
    grid.append(
      el('h2', { class: 'span', text: `${name}${cold ? ` · ${num(cold)} cold start(s)` : ''}` }),
    );
    plotCard(grid, `${name}: replicas`, x, [
      { label: 'desired', values: g('desired') },
      { label: 'ready', values: g('ready') },
      { label: 'GPUs held', values: g('gpus') },
    ]);
    plotCard(grid, `${name}: engine queue and load`, x, [
      { label: 'waiting in engines', values: g('queue') },
      { label: 'in flight (gateways)', values: g('inflight') },
      { label: 'cold starts', values: g('cold') },
    ]);
    plotCard(grid, `${name}: KV-cache use`, x, [{ label: 'KV cache', values: g('kv') }], {
      unit: '0..1',
    });
    const t = all[`target:${name}`];
    if (t)
      plotCard(grid, `${name}: requests served`, x, [
        { label: 'requests/s', values: t.requestsPerS },
      ]);
  }
}
