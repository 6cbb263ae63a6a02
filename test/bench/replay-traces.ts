// Benchmark: the trace replay on both shared traces and two synthetic ones, with one scenario
// (the defaults of `pnpm sim replay`), so the policy is not judged on one file.
//   pnpm exec tsx test/bench/replay-traces.ts [out.json]
// The SLO: TTFT within max(2 s, 0.15 ms x prompt tokens) and mean time per output token within
// 150 ms (see ttftBoundMs). Prints, per trace, the four policies and whether the autoscaler met the goal: >= 99% SLO,
// fewer GPU-hours than fixed-peak, less closed-API spend than fixed-mean; and how long one hour
// of trace takes to replay.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildScenario,
  loadTraceFile,
  resolveTracePath,
  runReplay,
  simulatePolicy,
  syntheticTrace,
  type ReplayReport,
  type Trace,
} from '../../packages/sim/src/replay/index.js';

const out = process.argv[2] ?? join(tmpdir(), 'bascule-replay-bench.json');
const hour = 3_600_000;
const traces: Trace[] = [
  loadTraceFile(resolveTracePath('azure')),
  loadTraceFile(resolveTracePath('mooncake')),
  syntheticTrace({ rate: 3, cv: 4, durationMs: hour, seed: 1 }),
  syntheticTrace({ rate: 3, durationMs: hour, seed: 1 }),
];
const scenario = buildScenario();
const results = [];
let scenarioSummary: ReplayReport['scenario'] | undefined;
for (const trace of traces) {
  const report = runReplay(scenario, trace);
  scenarioSummary ??= report.scenario;
  const t0 = performance.now();
  simulatePolicy(scenario, trace, { kind: 'autoscaler', name: 'autoscaler' });
  const autoMs = performance.now() - t0;
  const row = (n: string) => report.rows.find((r) => r.policy === n)!;
  const auto = row('autoscaler');
  const goal = {
    slo99: auto.sloAttainment >= 0.99,
    fewerGpuHoursThanPeak: auto.gpuHours < row('fixed-peak').gpuHours,
    lessApiSpendThanMean: auto.closedApiCostUSD < row('fixed-mean').closedApiCostUSD,
  };
  const hours = report.trace.durationS / 3600;
  process.stdout.write(
    `\n${trace.name}: ${trace.requests.length} requests, ${(report.trace.durationS / 60).toFixed(1)} min; fixed-peak ${report.sizing.peak}, fixed-mean ${report.sizing.mean}\n`,
  );
  for (const r of report.rows) {
    process.stdout.write(
      `  ${r.policy.padEnd(11)} ${r.replicas.padStart(5)}  SLO ${(r.sloAttainment * 100).toFixed(1).padStart(5)}%  TTFT p50 ${r.ttftP50Ms.toFixed(0).padStart(5)}ms p99 ${r.ttftP99Ms.toFixed(0).padStart(6)}ms  GPU-h ${r.gpuHours.toFixed(2).padStart(5)}  API $${r.closedApiCostUSD.toFixed(2).padStart(5)}  total $${r.totalCostUSD.toFixed(2).padStart(6)}  overflow ${(r.overflowShare * 100).toFixed(1).padStart(4)}%  events ${r.scaleEvents}\n`,
    );
  }
  process.stdout.write(
    `  goal: SLO>=99% ${goal.slo99}, GPU-h < fixed-peak ${goal.fewerGpuHoursThanPeak}, API $ < fixed-mean ${goal.lessApiSpendThanMean}; autoscaler replay ${autoMs.toFixed(0)} ms (${(autoMs / 1000 / Math.max(hours, 1e-9)).toFixed(2)} s per trace hour), whole comparison ${(report.wallMs / 1000).toFixed(1)} s\n`,
  );
  results.push({
    trace: report.trace,
    sizing: report.sizing,
    rows: report.rows,
    series: report.series,
    goal,
    autoscalerReplayMs: autoMs,
    wallMs: report.wallMs,
  });
}
writeFileSync(
  out,
  JSON.stringify(
    {
      scenario: scenarioSummary,
      closedApiLatency: scenario.closedApi,
      results,
    },
    null,
    2,
  ) + '\n',
);
process.stdout.write(`\nwrote ${out}\n`);
// The figures as one JSON line too (without the time series, which are in the file).
console.log(
  JSON.stringify({ scenario: scenarioSummary, results: results.map(({ series: _, ...r }) => r) }),
);
