import { series, type WhoAmI } from '../api.js';
import { plotCard, statCard, xs } from '../charts.js';
import { el, pct, usd } from '../dom.js';

/** Requests/s, tokens/s, $ per hour (self-hosted vs closed), overflow share, latency, TTFT. */
export async function overview(root: HTMLElement, me: WhoAmI, minutes: number): Promise<void> {
  const s = (await series(['overview'], minutes)).overview!;
  const x = xs(s);
  const t = s.totals;
  const overflowed = Object.values(t.overflow).reduce((a, b) => a + b, 0);
  const stats = el('div', { class: 'stats' });
  statCard(stats, 'requests', String(t.requests), 'total-requests');
  statCard(stats, 'tokens', String(t.inputTokens + t.outputTokens));
  statCard(stats, 'self-hosted cost', usd(t.usdSelf));
  statCard(stats, 'closed-API cost', usd(t.usdClosed));
  const overflowStat = statCard(
    stats,
    `overflowed${overflowed ? ` (${Object.keys(t.overflow).join(', ')})` : ''}`,
    t.requests ? pct(overflowed / t.requests) : '0%',
    'overflow-share',
  );
  overflowStat.dataset.count = String(overflowed);
  root.append(
    el('p', {
      class: 'scope',
      text:
        me.role === 'admin'
          ? 'All traffic.'
          : me.role === 'operator'
            ? `Traffic of tenant ${me.tenant}.`
            : `Traffic of your key (${me.name}).`,
    }),
    stats,
  );
  const grid = el('div', { class: 'grid' });
  root.append(grid);
  plotCard(
    grid,
    'Requests',
    x,
    [
      { label: 'requests/s', values: s.requestsPerS },
      { label: 'errors/s', values: s.errorsPerS },
    ],
    { unit: 'per second' },
  );
  plotCard(grid, 'Tokens', x, [{ label: 'tokens/s', values: s.tokensPerS }], {
    unit: 'per second',
  });
  plotCard(
    grid,
    'Cost',
    x,
    [
      { label: 'self-hosted', values: s.usdPerHourSelf },
      { label: 'closed APIs', values: s.usdPerHourClosed },
    ],
    { unit: '$ per hour' },
  );
  plotCard(
    grid,
    'Overflow share by reason',
    x,
    Object.entries(s.overflowShare).map(([why, v]) => ({ label: why, values: v })),
    { unit: 'share of requests' },
  ).dataset.testid = 'overflow-plot';
  plotCard(
    grid,
    'Latency',
    x,
    [
      { label: 'p50', values: s.latencyP50Ms },
      { label: 'p99', values: s.latencyP99Ms },
    ],
    { unit: 'ms' },
  );
  plotCard(
    grid,
    'Time to first token (streams)',
    x,
    [
      { label: 'p50', values: s.ttftP50Ms },
      { label: 'p99', values: s.ttftP99Ms },
    ],
    { unit: 'ms' },
  );
}
