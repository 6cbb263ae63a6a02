import { api, series, type WhoAmI } from '../api.js';
import { plotCard, xs } from '../charts.js';
import { el, pct, table, usd } from '../dom.js';

interface RouteView {
  name: string;
  strategy: string;
  targets: { name: string; kind: string; tier?: string }[];
  strongShareGoal?: number;
  budgets: { dailyUSD?: number; monthlyUSD?: number; onExceeded?: string };
  spentUSD: { day: number; month: number };
}

const limit = (spent: number, max: number | undefined) =>
  max === undefined
    ? `${usd(spent)} (no limit)`
    : `${usd(spent)} of ${usd(max)} (${pct(spent / max)})`;

/** Decisions by target and reason, strong share, budget spend vs limit, per Route. */
export async function routes(root: HTMLElement, me: WhoAmI, minutes: number): Promise<void> {
  const { routes: list } = await api<{ routes: RouteView[] }>('/api/v1/dashboard/routes');
  root.append(
    table(
      'Routes',
      ['Route', 'Strategy', 'Targets', 'Spent today', 'Spent this month'],
      list.map((r) => [
        r.name,
        r.strategy,
        r.targets.map((t) => (t.tier ? `${t.name} (${t.tier})` : t.name)).join(', '),
        limit(r.spentUSD.day, r.budgets.dailyUSD),
        limit(r.spentUSD.month, r.budgets.monthlyUSD),
      ]),
    ),
  );
  if (me.role !== 'admin') {
    root.append(
      el('p', {
        class: 'note',
        text: 'Per-Route traffic spans tenants: its plots need an admin key (as /api/v1/usage?by=route).',
      }),
    );
    return;
  }
  if (list.length === 0) return;
  const all = await series(
    list.slice(0, 20).map((r) => `route:${r.name}`),
    minutes,
  );
  const grid = el('div', { class: 'grid' });
  root.append(grid);
  for (const r of list) {
    const s = all[`route:${r.name}`];
    if (!s) continue;
    const x = xs(s);
    const strong = new Set(r.targets.filter((t) => t.tier === 'complex').map((t) => t.name));
    const entries = Object.entries(s.decisions).sort(
      (a, b) => (s.totals.decisions[b[0]] ?? 0) - (s.totals.decisions[a[0]] ?? 0),
    );
    grid.append(el('h2', { class: 'span', text: `${r.name} (${r.strategy})` }));
    plotCard(
      grid,
      `${r.name}: decisions by target and reason`,
      x,
      entries.slice(0, 7).map(([k, v]) => ({ label: k.replace('|', ' · '), values: v })),
      { unit: 'per minute' },
    );
    if (strong.size > 0) {
      const share = Array.from({ length: s.points }, (_, i) => {
        let all = 0;
        let hit = 0;
        for (const [k, v] of entries) {
          all += v[i] ?? 0;
          if (strong.has(k.slice(0, k.indexOf('|')))) hit += v[i] ?? 0;
        }
        return all > 0 ? hit / all : null;
      });
      plotCard(
        grid,
        `${r.name}: strong share${r.strongShareGoal !== undefined ? ` (goal ${pct(r.strongShareGoal)})` : ''}`,
        x,
        [{ label: 'complex tier', values: share }],
        { unit: 'share' },
      );
    }
    plotCard(
      grid,
      `${r.name}: spend`,
      x,
      [
        { label: 'closed APIs', values: s.usdPerHourClosed },
        { label: 'self-hosted', values: s.usdPerHourSelf },
      ],
      { unit: '$ per hour' },
    );
  }
}
