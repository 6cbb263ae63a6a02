import type { ReplayReport } from './run-replay.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)}s` : `${Math.round(x)}ms`);
const usd = (x: number) => `$${x.toFixed(2)}`;

/** The comparison table as plain text, one row per policy, with the scenario above it. */
export function formatReplayTable(r: ReplayReport): string {
  const s = r.scenario;
  const head = [
    `trace ${r.trace.name}: ${r.trace.requests} requests over ${(r.trace.durationS / 60).toFixed(1)} min (${r.trace.meanRate.toFixed(2)} req/s)`,
    `model ${s.model} on ${s.gpus} per replica, ${s.gpuBudget} GPUs, $${s.gpuHourUSD}/GPU-h, maxConcurrency ${s.maxConcurrency}, target ${s.targetInFlight} in flight, cold start ${s.coldStartS}s`,
    `overflow to ${s.closedApi}; SLO: TTFT <= max(${s.sloTtftMs}ms, ${s.sloTtftPerPromptTokenMs}ms x prompt tokens) and TPOT <= ${s.sloTpotMs}ms`,
    `fixed-peak = ${r.sizing.peak} replicas (fewest with <= 1% overflow), fixed-mean = ${r.sizing.mean} (peak x mean/peak offered work)`,
    '',
  ];
  const cols = [
    'policy',
    'replicas',
    'SLO met',
    'TTFT p50',
    'TTFT p90',
    'TTFT p99',
    'GPU-h',
    'GPU $',
    'API tokens',
    'API $',
    'total $',
    'overflow',
    'prefix hits',
    'scale ev',
  ];
  const rows = r.rows.map((x) => [
    x.policy,
    x.replicas,
    pct(x.sloAttainment),
    ms(x.ttftP50Ms),
    ms(x.ttftP90Ms),
    ms(x.ttftP99Ms),
    x.gpuHours.toFixed(2),
    usd(x.gpuCostUSD),
    x.closedApiTokens.toLocaleString('en-US'),
    usd(x.closedApiCostUSD),
    usd(x.totalCostUSD),
    pct(x.overflowShare),
    pct(x.prefixHitRate),
    String(x.scaleEvents),
  ]);
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    ...head,
    line(cols),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `replayed ${r.rows.length} policies (plus ${'sizing'} runs) in ${(r.wallMs / 1000).toFixed(1)}s of wall time`,
  ].join('\n');
}
