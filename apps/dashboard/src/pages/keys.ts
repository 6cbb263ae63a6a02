import { api, series } from '../api.js';
import { plotCard, xs } from '../charts.js';
import { el, num, pct, table, usd } from '../dom.js';

interface KeyView {
  id: string;
  name: string;
  tenant: string;
  role: string;
  spentUSD: number;
  spentPeriod: 'day' | 'month';
  budget?: { usd: number; period: string };
  rpm: number;
  rpmLimit?: number;
}

/** Keys and tenants: spend vs budget and requests per minute (a user key: only itself). */
export async function keys(root: HTMLElement, minutes: number): Promise<void> {
  const v = await api<{
    keys: KeyView[];
    tenants: { tenant: string; keys: number; spentUSD: number; rpm: number }[];
  }>('/api/v1/dashboard/keys');
  root.append(
    table(
      'Keys',
      ['Key', 'Tenant', 'Role', 'Spent', 'Budget', 'Requests/min', 'Limit'],
      v.keys.map((k) => [
        k.name,
        k.tenant,
        k.role,
        `${usd(k.spentUSD)} ${k.spentPeriod === 'day' ? 'today' : 'this month'}`,
        k.budget
          ? `${usd(k.budget.usd)} per ${k.budget.period} (${pct(k.spentUSD / k.budget.usd)})`
          : 'none',
        String(k.rpm),
        k.rpmLimit ? String(k.rpmLimit) : 'none',
      ]),
    ),
    table(
      'Tenants',
      ['Tenant', 'Keys', 'Spent', 'Requests/min'],
      v.tenants.map((t) => [t.tenant, String(t.keys), usd(t.spentUSD), num(t.rpm)]),
    ),
  );
  const shown = [...v.keys].sort((a, b) => b.spentUSD - a.spentUSD).slice(0, 6);
  if (shown.length === 0) return;
  const all = await series(
    shown.map((k) => `key:${k.id}`),
    minutes,
  );
  const first = all[`key:${shown[0]!.id}`]!;
  const x = xs(first);
  const grid = el('div', { class: 'grid' });
  root.append(grid);
  plotCard(
    grid,
    'Requests per key',
    x,
    shown.map((k) => ({
      label: k.name,
      values: all[`key:${k.id}`]!.requestsPerS.map((r) => Math.round(r * 60)),
    })),
    { unit: 'per minute' },
  );
  plotCard(
    grid,
    'Spend per key',
    x,
    shown.map((k) => {
      const s = all[`key:${k.id}`]!;
      return {
        label: k.name,
        values: s.usdPerHourSelf.map((a, i) => a + (s.usdPerHourClosed[i] ?? 0)),
      };
    }),
    { unit: '$ per hour' },
  );
}
