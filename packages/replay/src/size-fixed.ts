import { resolveModelSpec } from '@bascule/spec';
import { isCapacityOverflow } from './replay-policy.js';
import type { ReplayScenario } from './replay-scenario.js';
import { simulatePolicy } from './simulate-policy.js';
import type { Trace } from './trace-request.js';

/**
 * GPU work of each request on one replica (ms): its prefill (b1 per prompt token) and its share
 * of the decode steps it runs in, with targetInFlight sequences per step (b0 / target + b2 per
 * token). The standard capacity-planning estimate, independent of any scaling policy.
 */
export function replicaWorkMs(scenario: ReplayScenario, prompt: number, output: number): number {
  const c = scenario.coefficients;
  const batch = resolveModelSpec(scenario.model.metadata.name, scenario.model.spec).targetInFlight;
  return (c.b1 * prompt + Math.max(0, output - 1) * (c.b0 / batch + c.b2)) / 1000;
}

/** Offered work per window (in replicas busy), one value per window of the trace. */
export function offeredReplicas(
  scenario: ReplayScenario,
  trace: Trace,
  windowMs = 60_000,
): number[] {
  const end = trace.requests.at(-1)?.at ?? 0;
  const buckets = new Array<number>(Math.max(1, Math.ceil((end + 1) / windowMs))).fill(0);
  for (const r of trace.requests) {
    const i = Math.floor(r.at / windowMs);
    buckets[i] =
      (buckets[i] ?? 0) + replicaWorkMs(scenario, r.promptTokens, r.outputTokens) / windowMs;
  }
  return buckets;
}

/**
 * Fixed sizes to compare against. Peak: the smallest fixed count (within the GPU budget) under
 * which at most `maxOverflowShare` of the requests overflow, i.e. self-hosted capacity covers
 * the peak, found by bisection over full replays. Mean: the peak count scaled by the trace's
 * mean-to-peak ratio of offered work per minute, rounded up.
 */
export function sizeFixed(
  scenario: ReplayScenario,
  trace: Trace,
  maxOverflowShare = 0.01,
): { peak: number; mean: number; offeredPeak: number; offeredMean: number } {
  const per = Number(scenario.model.spec.gpus.split(':')[1] ?? 1);
  const most = Math.max(1, Math.floor(scenario.gpuBudget / per));
  const share = (n: number) => {
    const run = simulatePolicy(scenario, trace, { kind: 'fixed', name: 'probe', replicas: n });
    const over = run.outcomes.filter(
      (o) => isCapacityOverflow(o.reason) || o.served === 'rejected',
    );
    return run.outcomes.length > 0 ? over.length / run.outcomes.length : 0;
  };
  let lo = 1;
  let hi = most;
  if (share(hi) > maxOverflowShare) lo = hi;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (share(mid) <= maxOverflowShare) hi = mid;
    else lo = mid + 1;
  }
  const offered = offeredReplicas(scenario, trace);
  const offeredPeak = Math.max(...offered);
  const offeredMean = offered.reduce((a, b) => a + b, 0) / offered.length;
  const mean = Math.max(1, Math.ceil(lo * (offeredMean / Math.max(offeredPeak, 1e-9))));
  return { peak: lo, mean: Math.min(mean, lo), offeredPeak, offeredMean };
}

/**
 * Replicas a running service would have when the trace starts: what the first minute's offered
 * work needs (at least one). The autoscaler starts warm at this count, as the fixed sizes start
 * warm at theirs, so the comparison is of steady operation, not of a cold start at t = 0.
 */
export function warmReplicas(scenario: ReplayScenario, trace: Trace): number {
  return Math.max(1, Math.ceil((offeredReplicas(scenario, trace)[0] ?? 0) - 1e-9));
}
