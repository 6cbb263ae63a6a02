import type { ReplayReport } from './run-replay.js';

const W = 960;
const PANEL_H = 200;
const M = { left: 56, right: 20, top: 36, gap: 44, bottom: 40 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * A two-panel chart of the autoscaler's run: arrivals per second (30 s moving average) on top;
 * desired and ready replicas below, with the fixed-peak and fixed-mean counts as dashed lines.
 * Hand-written SVG, no dependencies.
 */
export function renderReplaySvg(r: ReplayReport): string {
  const tl = r.timeline;
  const endS = Math.max(1, (tl.at(-1)?.t ?? 0) / 1000);
  const plotW = W - M.left - M.right;
  const x = (tMs: number) => M.left + (tMs / 1000 / endS) * plotW;
  const top1 = M.top;
  const top2 = M.top + PANEL_H + M.gap;
  const H = top2 + PANEL_H + M.bottom;

  const window = Math.max(
    1,
    Math.round(30_000 / Math.max(1, (tl[1]?.t ?? 2000) - (tl[0]?.t ?? 0))),
  );
  const rate = tl.map((_, i) => {
    const from = Math.max(0, i - window + 1);
    let sum = 0;
    for (let j = from; j <= i; j++) sum += tl[j]!.arrivalRate;
    return sum / (i - from + 1);
  });
  const rateMax = niceMax(Math.max(...rate, 0.1));
  const yRate = (v: number) => top1 + PANEL_H - (v / rateMax) * PANEL_H;
  const repMax = niceMax(
    Math.max(r.sizing.peak, ...tl.map((p) => Math.max(p.desired, p.holding)), 1),
  );
  const yRep = (v: number) => top2 + PANEL_H - (v / repMax) * PANEL_H;

  const area =
    `M${x(tl[0]?.t ?? 0)},${yRate(0)} ` +
    tl.map((p, i) => `L${x(p.t).toFixed(1)},${yRate(rate[i]!).toFixed(1)}`).join(' ') +
    ` L${x(tl.at(-1)?.t ?? 0)},${yRate(0)} Z`;
  const step = (get: (i: number) => number) =>
    tl
      .map((p, i) => {
        const y = yRep(get(i)).toFixed(1);
        return i === 0 ? `M${x(p.t).toFixed(1)},${y}` : `H${x(p.t).toFixed(1)} V${y}`;
      })
      .join(' ');

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="20" font-size="14" font-weight="bold">${esc(`Replay of ${r.trace.name}: load and replicas (autoscaler)`)}</text>`,
  );
  for (const [top, max, label] of [
    [top1, rateMax, 'arrivals/s (30 s mean)'],
    [top2, repMax, 'replicas'],
  ] as const) {
    out.push(
      `<rect x="${M.left}" y="${top}" width="${plotW}" height="${PANEL_H}" fill="none" stroke="#999"/>`,
    );
    for (let k = 0; k <= 4; k++) {
      const v = (max * k) / 4;
      const y = top + PANEL_H - (k / 4) * PANEL_H;
      out.push(
        `<line x1="${M.left}" x2="${M.left + plotW}" y1="${y}" y2="${y}" stroke="#eee"/>`,
        `<text x="${M.left - 6}" y="${y + 4}" text-anchor="end">${Number.isInteger(v) ? v : v.toFixed(1)}</text>`,
      );
    }
    out.push(`<text x="${M.left + 4}" y="${top - 6}" fill="#333">${label}</text>`);
  }
  const ticks = endS > 1800 ? 600 : endS > 600 ? 300 : 60;
  for (let s = 0; s <= endS; s += ticks) {
    const xx = M.left + (s / endS) * plotW;
    out.push(`<text x="${xx}" y="${top2 + PANEL_H + 16}" text-anchor="middle">${s / 60}m</text>`);
  }
  out.push(`<path d="${area}" fill="#9ecae1" stroke="#3182bd" stroke-width="1"/>`);
  for (const [n, name, color] of [
    [r.sizing.peak, 'fixed-peak', '#d62728'],
    [r.sizing.mean, 'fixed-mean', '#ff7f0e'],
  ] as const) {
    const y = yRep(n);
    out.push(
      `<line x1="${M.left}" x2="${M.left + plotW}" y1="${y}" y2="${y}" stroke="${color}" stroke-dasharray="6 4"/>`,
      `<text x="${M.left + plotW - 4}" y="${y - 4}" text-anchor="end" fill="${color}">${name} (${n})</text>`,
    );
  }
  out.push(
    `<path d="${step((i) => tl[i]!.holding)}" fill="none" stroke="#aaa" stroke-width="1.5"/>`,
    `<path d="${step((i) => tl[i]!.desired)}" fill="none" stroke="#2ca02c" stroke-width="2"/>`,
    `<path d="${step((i) => tl[i]!.ready)}" fill="none" stroke="#1f77b4" stroke-width="1.5" stroke-dasharray="3 2"/>`,
  );
  const legendY = top2 + PANEL_H + 32;
  const legend: [string, string][] = [
    ['#2ca02c', 'desired (autoscaler)'],
    ['#1f77b4', 'ready'],
    ['#aaa', 'holding GPUs (incl. starting, draining)'],
  ];
  legend.forEach(([c, t], i) => {
    const lx = M.left + i * 220;
    out.push(
      `<line x1="${lx}" x2="${lx + 20}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${c}" stroke-width="2"/>`,
      `<text x="${lx + 26}" y="${legendY}">${esc(t)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
