import { isCapacityOverflow } from './replay-policy.js';
import type { PolicyRun } from './simulate-policy.js';

/**
 * The replay over time, in a few hundred buckets so it can be charted and stored with benchmark
 * results: the offered load (the same for every policy), the overflow of each self-hosted policy,
 * and the autoscaler's replicas. Columns rather than rows keep the JSON small.
 */
export interface ReplaySeries {
  /** Width of each bucket (s). */
  bucketS: number;
  /** Start of each bucket (s from the start of the trace). */
  t: number[];
  /** Arrivals per second in each bucket. */
  arrivalsPerS: number[];
  /**
   * Per self-hosted policy: requests per second the Route moved to the closed API for lack of
   * capacity (reason overflow:*), counted at their arrival.
   */
  overflowPerS: Record<string, number[]>;
  /** The autoscaler's replicas at the end of each bucket (absent when it was not replayed). */
  autoscaler?: { desired: number[]; ready: number[]; holding: number[] };
}

/** A bucket width, a whole number of ticks, giving at most `target` buckets over the horizon. */
export function seriesBucketMs(horizonMs: number, tickMs: number, target = 150): number {
  const ticks = Math.max(1, Math.ceil(horizonMs / target / tickMs));
  return ticks * tickMs;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function buildReplaySeries(
  runs: readonly PolicyRun[],
  horizonMs: number,
  bucketMs: number,
): ReplaySeries {
  const n = Math.max(1, Math.ceil(horizonMs / bucketMs));
  const bucketS = bucketMs / 1000;
  const index = (at: number) => Math.min(n - 1, Math.floor(at / bucketMs));
  const perS = (counts: number[]) => counts.map((c) => round(c / bucketS));
  const arrivals = new Array<number>(n).fill(0);
  const overflowPerS: Record<string, number[]> = {};
  for (const [k, run] of runs.entries()) {
    const overflow = new Array<number>(n).fill(0);
    for (const o of run.outcomes) {
      if (k === 0) arrivals[index(o.arrivedAt)]!++;
      if (isCapacityOverflow(o.reason)) overflow[index(o.arrivedAt)]!++;
    }
    if (run.policy.kind !== 'closed-api') overflowPerS[run.policy.name] = perS(overflow);
  }
  const series: ReplaySeries = {
    bucketS,
    t: Array.from({ length: n }, (_, i) => round(i * bucketS)),
    arrivalsPerS: perS(arrivals),
    overflowPerS,
  };
  const auto = runs.find((r) => r.policy.kind === 'autoscaler');
  if (auto) {
    const desired: number[] = [];
    const ready: number[] = [];
    const holding: number[] = [];
    // The last sample taken before each bucket ends (the timeline has one per tick from t=0).
    let j = 0;
    const tl = auto.timeline;
    for (let i = 0; i < n; i++) {
      const end = (i + 1) * bucketMs;
      while (j + 1 < tl.length && tl[j + 1]!.t < end) j++;
      const p = tl[j];
      desired.push(p?.desired ?? 0);
      ready.push(p?.ready ?? 0);
      holding.push(p?.holding ?? 0);
    }
    series.autoscaler = { desired, ready, holding };
  }
  return series;
}
