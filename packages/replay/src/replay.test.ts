import { describe, expect, it } from 'vitest';
import { EventClock } from './event-clock.js';
import { parseAzureCsv, parseMooncakeJsonl, resolveTracePath } from './load-trace-file.js';
import { buildScenario, ttftBoundMs } from './replay-scenario.js';
import { buildReplaySeries, seriesBucketMs } from './replay-series.js';
import { renderReplaySvg } from './render-replay-svg.js';
import { isCapacityOverflow } from './replay-policy.js';
import { runReplay } from './run-replay.js';
import { simulatePolicy } from './simulate-policy.js';
import { summarizeRun } from './summarize-run.js';
import { syntheticTrace } from './synthetic-trace.js';
import type { Trace } from './trace-request.js';

describe('EventClock', () => {
  it('fires events in time order, ties in arming order, and skips cancelled ones', () => {
    const c = new EventClock();
    const seen: string[] = [];
    c.setTimeout(() => seen.push('b@20'), 20);
    c.setTimeout(() => seen.push('a@10'), 10);
    const x = c.setTimeout(() => seen.push('never'), 15);
    c.setTimeout(() => {
      seen.push('c@20');
      c.setTimeout(() => seen.push(`d@${c.now()}`), 5);
    }, 20);
    c.clearTimeout(x);
    c.runUntil(100);
    expect(seen).toEqual(['a@10', 'b@20', 'c@20', 'd@25']);
    expect(c.now()).toBe(100);
  });
});

describe('trace loading', () => {
  it('reads the Azure CSV relative to its first timestamp and names bad lines', () => {
    const csv =
      'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.9799600,4808,10\n2023-11-16 18:17:05.4799600,110,27\n';
    expect(parseAzureCsv(csv)).toEqual([
      { at: 0, promptTokens: 4808, outputTokens: 10 },
      { at: 1500, promptTokens: 110, outputTokens: 27 },
    ]);
    expect(() => parseAzureCsv(`${csv}garbage,x,y\n`, 'a.csv')).toThrow(/a\.csv:4: cannot read/);
    expect(() => parseAzureCsv('TIME,ContextTokens\n', 'b.csv')).toThrow(
      /missing column TIMESTAMP/,
    );
  });

  it('reads Mooncake JSONL and names the line of a bad record', () => {
    const text =
      '{"timestamp": 40, "input_length": 10, "output_length": 2}\n{"timestamp": 0, "input_length": 5, "output_length": 1}\n';
    expect(parseMooncakeJsonl(text)).toEqual([
      { at: 0, promptTokens: 5, outputTokens: 1 },
      { at: 40, promptTokens: 10, outputTokens: 2 },
    ]);
    expect(() => parseMooncakeJsonl('{"timestamp": 1}\n', 'm.jsonl')).toThrow(
      /m\.jsonl:1: needs numbers/,
    );
  });

  it('explains where it looked when a trace is missing', () => {
    expect(() => resolveTracePath('no-such-trace.csv')).toThrow(
      /--trace: no trace file at .*shared\/data\/traces/,
    );
  });

  it('synthetic arrivals have the requested mean rate; gamma ones are burstier than Poisson', () => {
    const cvOf = (t: Trace) => {
      const gaps = t.requests.slice(1).map((r, i) => r.at - t.requests[i]!.at);
      const m = gaps.reduce((a, b) => a + b, 0) / gaps.length;
      const v = gaps.reduce((a, b) => a + (b - m) ** 2, 0) / gaps.length;
      return Math.sqrt(v) / m;
    };
    const p = syntheticTrace({ rate: 5, durationMs: 3_600_000, seed: 7 });
    const g = syntheticTrace({ rate: 5, durationMs: 3_600_000, seed: 7, cv: 4 });
    expect(p.requests.length / 3600).toBeGreaterThan(4.8);
    expect(p.requests.length / 3600).toBeLessThan(5.2);
    expect(g.requests.length / 3600).toBeGreaterThan(4);
    expect(g.requests.length / 3600).toBeLessThan(6);
    expect(cvOf(p)).toBeGreaterThan(0.9);
    expect(cvOf(p)).toBeLessThan(1.1);
    expect(cvOf(g)).toBeGreaterThan(2.5);
  });
});

describe('simulatePolicy', () => {
  const scenario = buildScenario({
    gpuBudget: 6,
    coldStart: '30s',
    scaleDownDelay: '1m',
    scaleToZeroDelay: '2m',
  });
  // 10 minutes: quiet, a 3-minute surge, then silence.
  const trace: Trace = (() => {
    const a = syntheticTrace({ rate: 0.5, durationMs: 120_000, seed: 3 }).requests;
    const b = syntheticTrace({ rate: 12, durationMs: 180_000, seed: 4 }).requests.map((r) => ({
      ...r,
      at: r.at + 120_000,
    }));
    return {
      name: 'surge',
      requests: [...a, ...b, { at: 600_000, promptTokens: 100, outputTokens: 5 }],
    };
  })();

  it('autoscaler: scales out for the surge within the GPU budget, back to zero when idle, and up again', () => {
    const run = simulatePolicy(scenario, trace, { kind: 'autoscaler', name: 'auto' });
    const peak = Math.max(...run.timeline.map((p) => p.holding));
    expect(peak).toBeGreaterThan(1);
    for (const p of run.timeline) expect(p.holding * 1).toBeLessThanOrEqual(scenario.gpuBudget);
    const surgeEnd = 300_000;
    const zero = run.timeline.find((p) => p.t > surgeEnd && p.desired === 0);
    expect(zero).toBeDefined();
    // The last request arrives at 10 min on a Model at zero: it overflows (cold start) and the
    // Model scales from zero.
    const last = run.outcomes.at(-1)!;
    expect(last.reason).toBe('overflow:cold-start');
    expect(run.scaleEvents.at(-1)).toMatchObject({ from: 0, to: 1, reason: 'scale-from-zero' });
    expect(run.outcomes.every((o) => o.served !== 'rejected')).toBe(true);
  });

  it('fixed: holds its count, and GPU-hours equal replicas x hours; closed-API cost follows the price', () => {
    const fixed = summarizeRun(
      scenario,
      simulatePolicy(scenario, trace, { kind: 'fixed', name: 'f', replicas: 3 }),
    );
    const hours = (trace.requests.at(-1)!.at + scenario.tickMs) / 3_600_000;
    expect(fixed.gpuHours).toBeCloseTo(3 * hours, 6);
    expect(fixed.scaleEvents).toBe(0);
    const closed = summarizeRun(
      scenario,
      simulatePolicy(scenario, trace, { kind: 'closed-api', name: 'c' }),
    );
    const inTok = trace.requests.reduce((a, r) => a + r.promptTokens, 0);
    const outTok = trace.requests.reduce((a, r) => a + r.outputTokens, 0);
    expect(closed.closedApiTokens).toBe(inTok + outTok);
    expect(closed.closedApiCostUSD).toBeCloseTo((inTok * 0.25 + outTok * 2) / 1e6, 9);
    expect(closed.gpuHours).toBe(0);
  });

  it('runReplay compares the four policies and the chart is well-formed SVG', () => {
    const report = runReplay(scenario, trace);
    expect(report.rows.map((r) => r.policy)).toEqual([
      'fixed-peak',
      'fixed-mean',
      'autoscaler',
      'closed-api',
    ]);
    expect(report.sizing.mean).toBeLessThanOrEqual(report.sizing.peak);
    const peak = report.rows[0]!;
    const auto = report.rows[2]!;
    expect(auto.gpuHours).toBeLessThan(peak.gpuHours);
    const svg = renderReplaySvg(report);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain(`fixed-peak (${report.sizing.peak})`);
  });

  it("the series has the offered load, each policy's overflow and the autoscaler's replicas over time", () => {
    const report = runReplay(scenario, trace);
    const s = report.series;
    const horizon = trace.requests.at(-1)!.at + scenario.tickMs;
    expect(s.t.length).toBe(Math.ceil(horizon / (s.bucketS * 1000)));
    expect(s.t.length).toBeLessThanOrEqual(150);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0) * s.bucketS;
    // Rates are rounded to 3 decimals per bucket.
    const slack = s.t.length * 0.0005 * s.bucketS;
    expect(Math.abs(sum(s.arrivalsPerS) - trace.requests.length)).toBeLessThanOrEqual(slack);
    // The surge (2-5 min) carries almost all arrivals.
    const inSurge = s.t
      .map((t, i) => (t >= 120 && t < 300 ? s.arrivalsPerS[i]! : 0))
      .reduce((a, b) => a + b, 0);
    expect(inSurge * s.bucketS).toBeGreaterThan(trace.requests.length * 0.9);
    expect(Object.keys(s.overflowPerS)).toEqual(['fixed-peak', 'fixed-mean', 'autoscaler']);
    for (const row of report.rows.filter((r) => r.kind !== 'closed-api'))
      expect(
        Math.abs(sum(s.overflowPerS[row.policy]!) - row.overflowShare * row.requests),
      ).toBeLessThanOrEqual(slack);
    // Replicas at the end of each bucket are the autoscaler's last sample before it.
    const a = s.autoscaler!;
    for (const [i, t] of s.t.entries()) {
      const end = (t + s.bucketS) * 1000;
      const last = report.timeline.filter((p) => p.t < end).at(-1)!;
      expect([a.desired[i], a.ready[i], a.holding[i]]).toEqual([
        last.desired,
        last.ready,
        last.holding,
      ]);
    }
    expect(Math.max(...a.desired)).toBeGreaterThan(1);
    expect(a.desired.at(-1)).toBe(1); // back from zero for the last request
  });

  it('buildReplaySeries buckets by arrival and picks a bucket of whole ticks', () => {
    expect(seriesBucketMs(3_600_000, 2000)).toBe(24_000);
    expect(seriesBucketMs(60_000, 2000)).toBe(2000);
    const run = simulatePolicy(scenario, trace, { kind: 'fixed', name: 'f', replicas: 1 });
    const s = buildReplaySeries([run], run.horizonMs, 60_000);
    expect(s.autoscaler).toBeUndefined();
    const overflowed = run.outcomes.filter((o) => o.reason.startsWith('overflow:'));
    expect(overflowed.length).toBeGreaterThan(0);
    const minute = Math.floor(overflowed[0]!.arrivedAt / 60_000);
    expect(s.overflowPerS.f![minute]).toBeGreaterThan(0);
    expect(s.overflowPerS.f![0]).toBe(0); // 0.5 req/s fits one replica
  });

  it('the TTFT bound grows with the prompt, so an idle closed API meets it for long prompts', () => {
    const long: Trace = {
      name: 'long',
      requests: [
        { at: 0, promptTokens: 1000, outputTokens: 10 },
        { at: 1000, promptTokens: 100_000, outputTokens: 10 },
      ],
    };
    const flat = buildScenario({ sloTtftPerPromptTokenMs: 0 });
    const scaled = buildScenario();
    expect(ttftBoundMs(scaled, 1000)).toBe(2000);
    expect(ttftBoundMs(scaled, 100_000)).toBeCloseTo(15_000, 6);
    expect(ttftBoundMs(flat, 100_000)).toBe(2000);
    const closed = { kind: 'closed-api', name: 'c' } as const;
    // 500 ms + 0.05 ms x 100k tokens = 5.5 s: over a flat 2 s, within 15 s.
    const a = summarizeRun(flat, simulatePolicy(flat, long, closed));
    expect(a.sloAttainment).toBe(0.5);
    expect(a.sloMisses).toEqual({ ttft: 1, tpot: 0, rejected: 0 });
    const b = summarizeRun(scaled, simulatePolicy(scaled, long, closed));
    expect(b.sloAttainment).toBe(1);
  });

  it('a prompt longer than the context leaves the Model but is not capacity overflow', () => {
    const t: Trace = {
      name: 'long-prompt',
      requests: [
        { at: 0, promptTokens: 40_000, outputTokens: 10 },
        { at: 1000, promptTokens: 500, outputTokens: 10 },
      ],
    };
    const run = simulatePolicy(scenario, t, { kind: 'fixed', name: 'f', replicas: 1 });
    expect(run.outcomes.map((o) => o.served)).toEqual(['closed-api', 'model']);
    const sum = summarizeRun(scenario, run);
    expect(sum.overflowShare).toBe(0);
    expect(sum.closedApiTokens).toBe(40_010);
    expect(buildReplaySeries([run], run.horizonMs, 60_000).overflowPerS.f).toEqual([0]);
    expect(isCapacityOverflow('overflow:context-length')).toBe(false);
    expect(isCapacityOverflow('overflow:saturated')).toBe(true);
    expect(isCapacityOverflow('priority')).toBe(false);
  });

  it('the first request after zero overflows or waits for the cold start, as the Route says', () => {
    const idleThenOne: Trace = {
      name: 'one',
      requests: [{ at: 300_000, promptTokens: 500, outputTokens: 20 }],
    };
    const base = { startReplicas: 0, coldStart: '30s' } as const;
    const overflow = simulatePolicy(buildScenario(base), idleThenOne, {
      kind: 'autoscaler',
      name: 'a',
    });
    expect(overflow.outcomes[0]).toMatchObject({
      served: 'closed-api',
      reason: 'overflow:cold-start',
    });
    expect(overflow.scaleEvents).toEqual([
      expect.objectContaining({ from: 0, to: 1, reason: 'scale-from-zero' }),
    ]);
    const waits = buildScenario({
      ...base,
      maxQueueWait: '60s',
      fallbackTriggers: ['noCapacity', 'queueWait', 'upstreamError', 'contextLength'],
    });
    const waited = simulatePolicy(waits, idleThenOne, { kind: 'autoscaler', name: 'a' });
    const o = waited.outcomes[0]!;
    expect(o).toMatchObject({ served: 'model', reason: 'priority' });
    // It waited for the cold start: scale-from-zero on the next tick, then 30 s of model load.
    const ttft = o.firstTokenAt! - o.arrivedAt;
    expect(ttft).toBeGreaterThanOrEqual(30_000);
    expect(ttft).toBeLessThan(30_000 + waits.tickMs + 1_000);
  });
});
