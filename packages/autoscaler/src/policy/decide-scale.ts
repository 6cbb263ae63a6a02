import type { ScaleDecision, ScaleReason } from './scale-decision.js';
import { initialScalerState, type ScalerState } from './scaler-state.js';
import { hasDemand, meanKvCacheUsage, observedLoad, type ScalingInput } from './scaling-input.js';
import type { ScalingSettings } from './scaling-settings.js';
import { capToFreeGpus } from './cap-to-free-gpus.js';

export interface DecideScaleResult {
  decision: ScaleDecision;
  /** The state to pass to the next call for this Model. */
  state: ScalerState;
}

/** Replicas needed to carry `load` at `target` per replica (tolerates float noise). */
export function replicasFor(load: number, target: number): number {
  return load <= 0 ? 0 : Math.ceil(load / target - 1e-9);
}

/**
 * The autoscaling policy for one Model: pure, with time from `input.now`.
 *
 * 1. Load is the larger of the gateways' in-flight count and the engines' running+waiting,
 *    plus overflowed requests and queued jobs. Its mean over the stable window (60 s), divided
 *    by targetInFlight, is the recommendation; over the panic window (6 s) it detects bursts.
 * 2. Panic: when the panic window asks for >= 2x the current replicas, follow the panic window
 *    with larger steps and never scale down until a stable window passes without a burst.
 * 3. Up: at once (or after scaleUpDelay: the smallest recommendation of that window), at most
 *    max(current x 2, current + 4) per decision (x4 / +8 in panic). From zero: as soon as any
 *    demand shows, with no delay.
 * 4. Down: to the largest recommendation of the scaleDownDelay window (stabilisation), so load
 *    must stay low for the whole window. To zero when minReplicas is 0 and no demand at all was
 *    seen for scaleToZeroDelay.
 * 5. Bounds [minReplicas, maxReplicas], then free GPUs: never more than the scheduled replicas
 *    plus what free GPUs hold; the rest is reported as a capacity shortfall.
 */
export function decideScale(
  settings: ScalingSettings,
  input: ScalingInput,
  previous: ScalerState | undefined,
): DecideScaleResult {
  const t = settings.tuning;
  const { now, currentReplicas: current } = input;
  const prior = previous ?? initialScalerState(now, current);
  const load = observedLoad(input, t.queuedJobWeight);
  const demand = hasDemand(input);

  const sampleHorizon = now - Math.max(t.stableWindowMs, t.panicWindowMs);
  const samples = prior.samples.filter((s) => s.at > sampleHorizon && s.at < now);
  samples.push({ at: now, load });
  const stableLoad = meanSince(samples, now - t.stableWindowMs);
  const panicLoad = meanSince(samples, now - t.panicWindowMs);
  const stableWant = replicasFor(stableLoad, settings.targetInFlight);
  const panicWant = replicasFor(panicLoad, settings.targetInFlight);

  let panicUntil = prior.panicUntil;
  if (panicWant > current && panicWant >= t.panicThreshold * Math.max(current, 1)) {
    panicUntil = now + t.stableWindowMs;
  }
  const panic = now < panicUntil;

  const kv = meanKvCacheUsage(input);
  const kvWant =
    kv !== undefined && kv > t.kvCacheTarget && input.readyReplicas > 0
      ? Math.ceil((input.readyReplicas * kv) / t.kvCacheTarget)
      : 0;

  let rec = panic ? Math.max(panicWant, stableWant, current) : stableWant;
  rec = Math.max(rec, kvWant);
  const lastDemandAt = demand ? now : prior.lastDemandAt;
  const idleMs = now - lastDemandAt;
  if (rec === 0 && (demand || (current > 0 && idleMs < settings.scaleToZeroDelayMs))) rec = 1;
  // Idle for scaleToZeroDelay means zero, even when that is shorter than the stable window whose
  // mean still remembers the last requests.
  if (!demand && settings.minReplicas === 0 && idleMs >= settings.scaleToZeroDelayMs) rec = 0;
  const bounded = clamp(rec, settings.minReplicas, settings.maxReplicas);

  const recHorizon = now - Math.max(settings.scaleDownDelayMs, settings.scaleUpDelayMs);
  const recommendations = prior.recommendations.filter((r) => r.at >= recHorizon && r.at <= now);
  recommendations.push({ at: now, replicas: bounded });

  let wanted = current;
  let reason: ScaleReason = 'hold';
  if (bounded > current) {
    if (current === 0 && demand) {
      wanted = bounded;
      reason = 'scale-from-zero';
    } else {
      const upRec =
        settings.scaleUpDelayMs > 0
          ? Math.min(...windowOf(recommendations, now - settings.scaleUpDelayMs, prior.since))
          : bounded;
      if (upRec <= current) {
        reason = 'hold-scale-up-delay';
      } else {
        const factor = panic ? t.panicScaleUpFactor : t.maxScaleUpFactor;
        const step = panic ? t.panicScaleUpStep : t.maxScaleUpStep;
        const limit = Math.max(Math.ceil(current * factor), current + step);
        wanted = Math.min(upRec, limit);
        reason = panic ? 'scale-up-panic' : 'scale-up';
      }
    }
  } else if (bounded < current) {
    if (bounded === 0 && settings.minReplicas === 0 && !demand) {
      wanted = 0;
      reason = 'scale-to-zero';
    } else {
      const downRec = Math.max(
        ...windowOf(recommendations, now - settings.scaleDownDelayMs, prior.since),
      );
      if (downRec < current) {
        wanted = downRec;
        reason = 'scale-down';
      } else {
        reason = panic ? 'hold-panic' : 'hold-stabilising';
      }
    }
  }
  if (wanted <= settings.minReplicas && current < settings.minReplicas) {
    wanted = settings.minReplicas;
    reason = 'min-replicas';
  } else if (wanted >= settings.maxReplicas && current > settings.maxReplicas) {
    wanted = settings.maxReplicas;
    reason = 'max-replicas';
  }

  const capped = capToFreeGpus(settings, input, wanted);
  const desired = capped.desired;
  if (capped.shortfall) reason = 'capacity-shortfall';

  const decision: ScaleDecision = {
    desired,
    current,
    wanted,
    reason,
    message: describe(settings, { current, desired, wanted, load, stableLoad, panicLoad, panic }),
    load,
    stableLoad,
    panicLoad,
    panic,
    ...(capped.shortfall ? { shortfall: capped.shortfall } : {}),
  };
  return {
    decision,
    state: { since: prior.since, samples, recommendations, lastDemandAt, panicUntil },
  };
}

function meanSince(samples: readonly { at: number; load: number }[], from: number): number {
  let sum = 0;
  let n = 0;
  for (const s of samples) {
    if (s.at <= from) continue;
    sum += s.load;
    n++;
  }
  return n > 0 ? sum / n : 0;
}

/**
 * Recommendations inside the window starting at `from`. When the state is younger than the
 * window (a restart), its first recommendation (the replica count it started at) stands in.
 */
function windowOf(
  recs: readonly { at: number; replicas: number }[],
  from: number,
  since: number,
): number[] {
  const inWindow = recs.filter((r) => r.at >= from || (since > from && r.at === since));
  return (inWindow.length > 0 ? inWindow : recs.slice(-1)).map((r) => r.replicas);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), Math.max(lo, hi));
}

function describe(
  s: ScalingSettings,
  d: {
    current: number;
    desired: number;
    wanted: number;
    load: number;
    stableLoad: number;
    panicLoad: number;
    panic: boolean;
  },
): string {
  const f = (n: number) => (Math.round(n * 10) / 10).toString();
  const head = `load ${f(d.load)} in flight (${s.tuning.stableWindowMs / 1000}s mean ${f(d.stableLoad)}, ${s.tuning.panicWindowMs / 1000}s mean ${f(d.panicLoad)}${d.panic ? ', panic' : ''}) at ${f(s.targetInFlight)} per replica`;
  const move =
    d.desired === d.current
      ? `stays at ${d.current} replica(s)`
      : `${d.current} -> ${d.desired} replica(s)`;
  const cap =
    d.desired < d.wanted ? ` (wanted ${d.wanted}; not enough free ${s.gpuType} GPUs)` : '';
  return `${head}: ${move}${cap}`;
}
