// The bench's trace-replay charts and their links, drawn from a real (small) replay result.
import { describe, expect, it } from 'vitest';
import { buildScenario, runReplay, syntheticTrace, type Trace } from '@bascule/replay';

interface Charts {
  replayCharts: (result: unknown) => [string, string][];
}
interface Render {
  renderGenerated: (report: unknown) => string;
}
// Plain .mjs modules of `pnpm bench` (no type declarations): imported by a computed path.
const load = <T>(path: string) => import(new URL(path, import.meta.url).href) as Promise<T>;

describe('pnpm bench replay charts', () => {
  const scenario = buildScenario({
    gpuBudget: 6,
    coldStart: '30s',
    scaleDownDelay: '1m',
    scaleToZeroDelay: '2m',
  });
  const quiet = syntheticTrace({ rate: 0.5, durationMs: 120_000, seed: 3 }).requests;
  const surge = syntheticTrace({ rate: 12, durationMs: 180_000, seed: 4 }).requests;
  const trace: Trace = {
    name: 'surge',
    requests: [...quiet, ...surge.map((r) => ({ ...r, at: r.at + 120_000 }))],
  };
  const report = runReplay(scenario, trace);
  const result = {
    scenario: report.scenario,
    results: [
      {
        trace: report.trace,
        sizing: report.sizing,
        rows: report.rows,
        series: report.series,
        goal: { slo99: true, fewerGpuHoursThanPeak: true, lessApiSpendThanMean: false },
        autoscalerReplayMs: 1,
      },
    ],
  };

  it('draws a load/replica chart per trace and a cost chart, from the results alone', async () => {
    const { replayCharts } = await load<Charts>('../../scripts/bench/replay-charts.mjs');
    const files = replayCharts(result);
    expect(files.map(([f]) => f)).toEqual(['replay-surge.svg', 'replay-cost.svg']);
    for (const [, svg] of files) {
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(svg.length).toBeLessThan(40_000);
    }
    const [, load1] = files[0]!;
    expect(load1).toContain(`fixed-peak ${report.sizing.peak}`);
    expect(load1).toContain('overflow: autoscaler');
    // One shaded band per run of buckets in which the autoscaler overflowed.
    const over = report.series.overflowPerS.autoscaler!;
    const runs = over.filter((v, i) => v > 0 && !(over[i - 1]! > 0)).length;
    expect(runs).toBeGreaterThan(0);
    const bands = /<g fill="#d7191c" opacity="0.18">([\s\S]*?)<\/g>/.exec(load1)?.[1] ?? '';
    expect(bands.match(/<rect /g)?.length).toBe(runs);
    const [, cost] = files[1]!;
    const peak = report.rows.find((r) => r.policy === 'fixed-peak')!;
    const auto = report.rows.find((r) => r.policy === 'autoscaler')!;
    expect(cost).toContain(
      `${(auto.gpuHours / peak.gpuHours).toFixed(2)}x · ${auto.gpuHours.toFixed(2)} GPU-h`,
    );
  });

  it('the generated section links the charts and states the SLO definition', async () => {
    const { renderGenerated } = await load<Render>('../../scripts/bench/render.mjs');
    const md = renderGenerated({
      machine: {
        date: 'd',
        mode: 'quick',
        cpuModel: 'cpu',
        cores: 2,
        memoryGiB: 1,
        freeMemoryGiB: 1,
        node: 'v20',
        os: 'linux',
        loadAverageAtStart: [1, 1, 1],
        loadAverageAtEnd: [1, 1, 1],
        wrk: null,
      },
      benchmarks: [
        { name: 'replay-traces', title: 'Trace replay', status: 'ok', seconds: 1, result },
      ],
    });
    expect(md).toContain('](img/replay-surge.svg)');
    expect(md).toContain('](img/replay-cost.svg)');
    expect(md).toContain('max(2 s, 0.15 ms x prompt tokens)');
    expect(md).toContain('Total $ vs fixed-peak');
  });
});
