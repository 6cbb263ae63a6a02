import { describe, expect, it } from 'vitest';
import { runCurve, type CurvePoint, type CurveStep } from './run-curve.js';
import { modelSettings } from '../testing/model-settings.js';
import type { ScalingSettings } from './scaling-settings.js';

const S = 1_000;
const M = 60_000;

/** An L4 replica at $1.80/h, 8 requests at once, overflowing to a gpt-5-mini-priced API. */
function settings(withOverflowCost: boolean): ScalingSettings {
  return modelSettings({
    gpus: 'nvidia-l4:1',
    maxConcurrency: 8,
    cost: { gpuHourUSD: 1.8 },
    autoscaling: {
      minReplicas: 1,
      maxReplicas: 10,
      scaleDownDelay: '2m',
      ...(withOverflowCost ? { overflowCost: { inputUSDPer1M: 0.25, outputUSDPer1M: 2 } } : {}),
    },
  });
}

/**
 * Traffic of requests with `prompt` and `output` tokens that each take `durationS` on a replica.
 * `demand(t)` is the load in flight; the ready replicas serve up to 8 each, the rest is in flight
 * at the overflow target. The engines' token counters grow with what they served.
 */
function traffic(o: {
  demand: (atMs: number) => number;
  prompt: number;
  output: number;
  durationS: number;
}): (atMs: number, ready: number) => CurvePoint {
  let last = 0;
  let served = 0;
  let prompt = 0;
  let output = 0;
  return (at, ready) => {
    // Requests finished since the last tick, at the load the engines held then.
    const done = (served * (at - last)) / 1000 / o.durationS;
    prompt += done * o.prompt;
    output += done * o.output;
    last = at;
    const load = o.demand(at);
    served = Math.min(load, 8 * ready);
    return {
      inFlight: served,
      overflowInFlight: load - served,
      engines: Array.from({ length: ready }, (_, i) => ({
        pod: `p${i}`,
        running: served / ready,
        waiting: 0,
        counters: {
          ttftCount: 0,
          ttftWithinSlo: 0,
          queueCount: 0,
          queueSecondsSum: 0,
          promptTokens: Math.round(prompt / ready),
          generationTokens: Math.round(output / ready),
        },
      })),
    };
  };
}

// Code completion: long prompts, short answers, 1 s per request: one request in flight costs
// (2,000 x $0.25 + 30 x $2) / 1M per second at the overflow target, ~$2.02 per hour.
const code = { prompt: 2_000, output: 30, durationS: 1 };
// Chat: ~1k-token prompts, ~130-token answers, 4 s per request: ~$0.46 per request-hour.
const chat = { prompt: 1_000, output: 130, durationS: 4 };
// Bursts: 16 in flight one tick in four (8 s), nothing between: a mean of 4, which one replica
// carries at the in-flight target (6), but the second replica's share (8 a quarter of the time,
// 2 on average, ~$4/h at overflow prices) costs more elsewhere than the replica ($1.80/h).
const bursts = (at: number) => ((at / 2_000) % 4 === 3 ? 16 : 0);

const countsAfter = (steps: CurveStep[], fromMs: number) =>
  new Set(steps.filter((s) => s.at >= fromMs).map((s) => s.decision.desired));

describe('decideScale: the cost rule (virtual time, 2 s ticks)', () => {
  const cases: {
    name: string;
    traffic: typeof code;
    demand: (at: number) => number;
    start: number;
    /** Replicas after 15 minutes, with the rule and without it. */
    withRule: number;
    withoutRule: number;
    reason: string;
  }[] = [
    {
      name: 'adds a replica whose share of bursty, expensive overflow costs more than it does',
      traffic: code,
      demand: bursts,
      start: 1,
      withRule: 2,
      withoutRule: 1,
      reason: 'scale-up-cost',
    },
    {
      name: 'removes a replica whose share of steady, cheap load costs less elsewhere',
      traffic: chat,
      // 18 in flight: the in-flight target (6) asks for 3; the third replica carries 2 on
      // average, ~$0.92/h at overflow prices, under 80% of its $1.80.
      demand: () => 18,
      start: 3,
      withRule: 2,
      withoutRule: 3,
      reason: 'scale-down',
    },
    {
      name: 'keeps every replica whose share of steady, expensive load costs more elsewhere',
      traffic: code,
      // The same 18 in flight of code traffic: the third replica's 2 cost ~$4/h elsewhere.
      demand: () => 18,
      start: 3,
      withRule: 3,
      withoutRule: 3,
      reason: '',
    },
  ];

  it.each(cases)('$name', (c) => {
    const run = (rule: boolean) =>
      runCurve({
        settings: settings(rule),
        startReplicas: c.start,
        readyDelayMs: 60 * S,
        load: traffic({ ...c.traffic, demand: c.demand }),
        durationMs: 30 * M,
      });
    const on = run(true);
    const off = run(false);
    // Settled after 15 minutes, and no flapping from there to 30.
    expect(countsAfter(on, 15 * M)).toEqual(new Set([c.withRule]));
    expect(countsAfter(off, 15 * M)).toEqual(new Set([c.withoutRule]));
    if (c.reason) {
      const move = on.find((s) => s.decision.desired !== c.start)!;
      expect(move.decision.reason).toBe(c.reason);
      // Never before a stable window (60 s) of observations.
      expect(move.at).toBeGreaterThanOrEqual(60 * S);
    } else {
      expect(on.every((s) => s.decision.desired === c.start)).toBe(true);
    }
    const last = on.at(-1)!.decision;
    expect(last.overflowInFlightHourUSD).toBeGreaterThan(0);
    expect(last.nextReplicaSavesUSD).toBeGreaterThanOrEqual(0);
  });

  it('values a request in flight at the overflow target from the engines token counters', () => {
    const steps = runCurve({
      settings: settings(true),
      startReplicas: 3,
      load: traffic({ ...code, demand: () => 18 }),
      durationMs: 10 * M,
    });
    // (2,000 x 0.25 + 30 x 2) / 1M USD per request, one request per second: $2.016 an hour.
    expect(steps.at(-1)!.decision.overflowInFlightHourUSD).toBeCloseTo(2.016, 1);
  });

  // Chat traffic the cost rule sizes at 2 of 3 replicas (12 in flight: the third carries none,
  // the second 4, ~$1.84/h elsewhere). The engines report first tokens (2 a second each) with
  // `attainment` within the bound and `waitMs` of queue wait each: neither is SLO pressure today
  // (a hold needs a tenth of the 2 s bound: 200 ms).
  const removal: {
    name: string;
    attainment: number;
    waitMs: number;
    replicas: number;
    reason: string;
  }[] = [
    {
      // On 2 replicas the engines' slots go from half used to three quarters: queue wait
      // x (0.75 / 0.25) / (0.5 / 0.5) = 3, 450 ms, over the 200 ms hold: the SLO rule would
      // add the replica back after a cold start.
      name: 'keeps a replica whose removal would miss the objective (queueing under the goal)',
      attainment: 0.95,
      waitMs: 150,
      replicas: 3,
      reason: 'hold-slo',
    },
    {
      name: 'removes it when the predicted wait stays under a tenth of the bound',
      attainment: 0.95,
      waitMs: 40,
      replicas: 2,
      reason: 'scale-down',
    },
    {
      name: 'removes it when the objective is met',
      attainment: 1,
      waitMs: 150,
      replicas: 2,
      reason: 'scale-down',
    },
  ];

  it.each(removal)('$name', (c) => {
    const base = traffic({ ...chat, demand: () => 12 });
    const steps = runCurve({
      settings: settings(true),
      startReplicas: 3,
      readyDelayMs: 60 * S,
      load: (at, ready) => {
        const p = base(at, ready);
        const count = at / 500;
        return {
          ...p,
          engines: p.engines!.map((e) => ({
            ...e,
            counters: {
              ...e.counters!,
              ttftCount: count,
              ttftWithinSlo: Math.floor(count * c.attainment),
              queueCount: count,
              queueSecondsSum: (count * c.waitMs) / 1000,
            },
          })),
        };
      },
      durationMs: 20 * M,
    });
    expect(countsAfter(steps, 10 * M)).toEqual(new Set([c.replicas]));
    expect(steps.some((s) => s.decision.reason === c.reason)).toBe(true);
    // No SLO pressure today in any of the three: the hold is the prediction for one fewer.
    expect(steps.every((s) => !s.decision.sloHold)).toBe(true);
  });

  it('still adds replicas for the SLO when overflow is cheap', () => {
    // Chat traffic the cost rule sizes at 2, but the engines queue requests for 1 s: queue wait
    // over a quarter of the TTFT bound adds a replica regardless of price.
    const base = traffic({ ...chat, demand: () => 18 });
    let n = 0;
    const steps = runCurve({
      settings: settings(true),
      startReplicas: 2,
      readyDelayMs: 60 * S,
      load: (at, ready) => {
        const p = base(at, ready);
        n += ready;
        return {
          ...p,
          engines: p.engines!.map((e) => ({
            ...e,
            waiting: 2,
            counters: { ...e.counters!, queueCount: n, queueSecondsSum: n },
          })),
        };
      },
      durationMs: 5 * M,
    });
    expect(steps.some((s) => s.decision.reason === 'scale-up-slo')).toBe(true);
    expect(Math.max(...steps.map((s) => s.decision.desired))).toBeGreaterThan(2);
  });
});
