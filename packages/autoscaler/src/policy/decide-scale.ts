import type { ScaleDecision, ScaleReason } from './scale-decision.js';
import {
  initialScalerState,
  type LoadSample,
  type Recommendation,
  type ScalerState,
} from './scaler-state.js';
import {
  hasDemand,
  meanKvCacheUsage,
  observedLoad,
  queuedRequests,
  type ScalingInput,
} from './scaling-input.js';
import { diffCounters } from './slo-signals.js';
import type { ScalingSettings } from './scaling-settings.js';
import { capToFreeGpus } from './cap-to-free-gpus.js';
import { overflowWorth, updateOverflowStats } from './overflow-worth.js';
import { fewerReplicasAtRisk } from './fewer-replicas-risk.js';

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
 *    by targetInFlight, is the recommendation.
 * 2. Panic: when load stays at >= 2x what the current replicas carry for the whole panic window
 *    (6 s), follow it with larger steps and hold until a stable window passes without a burst. A
 *    burst shorter than the panic window does not count: replicas started for it would be ready
 *    (a cold start later) after it ended, and would not help.
 * 3. SLO pressure: the engines' counters, differenced between decisions, tell how many requests
 *    got their first token within the objective over the SLO window (30 s) and how long
 *    requests waited in engine queues; with requests waiting at the gateways, they predict
 *    missing the objective before in-flight reaches the target. When attainment falls below the
 *    objective, or mean queue wait exceeds a quarter of the TTFT bound, or requests queue
 *    throughout the panic window, and the replicas hold more than one request each (so one more
 *    replica can take work from them), add one replica, once the previous ones are ready. KV-cache
 *    usage above 90% on the ready replicas adds replicas likewise.
 * 3b. Cost (when the Model states autoscaling.overflowCost and cost.gpuHourUSD): the count from
 *    load (1, 2 and the hysteresis of 6) is replaced by the replicas whose share of the load,
 *    priced at the overflow target, costs at least the replica (kept down to 80% of it); see
 *    overflowWorth. SLO and KV-cache pressure still add replicas on top. A replica the rule would
 *    remove stays while one fewer is predicted to miss the objective (fewerReplicasAtRisk): the
 *    SLO rule would add it back after a cold start.
 * 4. Useful replicas only: never more replicas than the most requests seen at once in the stable
 *    window (a replica with nothing to run does not help).
 * 5. Up: at once (or after scaleUpDelay: the smallest recommendation of that window), at most
 *    max(current x 2, current + 4) per decision (x4 / +8 in panic). From zero: as soon as any
 *    demand shows, with no delay.
 * 6. Down: to the largest recommendation of the scaleDownDelay window (stabilisation, the
 *    hysteresis that stops flapping), and only while the objective is met (no SLO pressure). To
 *    zero when minReplicas is 0 and no demand at all was seen for scaleToZeroDelay.
 * 7. Bounds [minReplicas, maxReplicas], then free GPUs: never more than the scheduled replicas
 *    plus what free GPUs hold; the rest is reported as a capacity shortfall. A current replica
 *    is cut only once the scheduler has refused its pod (the pod list and the GPU count are two
 *    reads, and a pod bound between them is in neither).
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
  const queued = queuedRequests(input, settings.maxConcurrency);
  const { signals, counters } = diffCounters(input.engines, prior.counters ?? {});

  const sampleHorizon = now - Math.max(t.stableWindowMs, t.panicWindowMs, t.sloWindowMs);
  const samples = prior.samples.filter((s) => s.at > sampleHorizon && s.at < now);
  let served = 0;
  for (const e of input.engines) served += e.running + e.waiting;
  samples.push({ at: now, load, queued, served, ...signals });
  const overflow = updateOverflowStats(settings, prior.overflow, {
    at: now,
    load,
    served,
    promptTokens: signals.promptTokens,
    generationTokens: signals.generationTokens,
  });
  const stableLoad = meanSince(samples, now - t.stableWindowMs);
  const panicLoad = meanSince(samples, now - t.panicWindowMs);
  const stableWant = replicasFor(stableLoad, settings.targetInFlight);
  const panicSamples = samples.filter((s) => s.at > now - t.panicWindowMs);
  const sustainedLoad = Math.min(...panicSamples.map((s) => s.load));
  const panicWant = replicasFor(sustainedLoad, settings.targetInFlight);

  let panicUntil = prior.panicUntil;
  // Only a state that has watched the whole panic window can say the load lasted all of it.
  const panicCovered = samples[0]!.at <= now - t.panicWindowMs;
  if (panicCovered && panicWant > current && panicWant >= t.panicThreshold * Math.max(current, 1)) {
    panicUntil = now + t.stableWindowMs;
  }
  const panic = now < panicUntil;

  const kv = meanKvCacheUsage(input);
  const kvWant =
    kv !== undefined && kv > t.kvCacheTarget && input.readyReplicas > 0
      ? Math.ceil((input.readyReplicas * kv) / t.kvCacheTarget)
      : 0;

  const slo = sloPressure(settings, samples, now);
  const pressure = slo.hold;
  const ready = input.readyReplicas;
  // One more replica shortens waits only where requests contend for the ones there are: at
  // least half the target concurrency each. Below that a slow first token is the prompt's own
  // prefill, which no replica count shortens.
  const helps = ready > 0 && stableLoad >= 0.5 * settings.targetInFlight * ready;
  const sloWant = slo.scaleOut && helps && ready >= current ? current + 1 : 0;
  const useful = Math.max(
    1,
    Math.ceil(Math.max(...samples.filter((s) => s.at > now - t.stableWindowMs).map((s) => s.load))),
  );

  const worth = overflowWorth(settings, overflow, current);
  const costWant = worth?.add ?? 0;

  // With the cost rule on, the replicas the load asks for are those worth their price: more
  // would cost more than the overflow they absorb. The objective (SLO, KV) still adds replicas.
  let rec = worth ? costWant : panic ? Math.max(panicWant, stableWant, current) : stableWant;
  rec = Math.max(rec, kvWant, sloWant);
  rec = Math.min(rec, Math.max(useful, pressure ? current : 0));
  if (pressure) rec = Math.max(rec, current);
  // A replica the cost rule would remove stays while one fewer would miss the objective: the SLO
  // rule would add it back, and the cold start costs more than the minutes without it save.
  const costHold =
    worth !== undefined &&
    rec < current &&
    rec > 0 &&
    ready >= current &&
    fewerReplicasAtRisk(settings, samples, now, ready);
  if (costHold) rec = current;
  const lastDemandAt = demand ? now : prior.lastDemandAt;
  const idleMs = now - lastDemandAt;
  if (rec === 0 && (demand || (current > 0 && idleMs < settings.scaleToZeroDelayMs))) rec = 1;
  // Idle for scaleToZeroDelay means zero, even when that is shorter than the stable window whose
  // mean still remembers the last requests.
  if (!demand && settings.minReplicas === 0 && idleMs >= settings.scaleToZeroDelayMs) rec = 0;
  const bounded = clamp(rec, settings.minReplicas, settings.maxReplicas);
  // Hysteresis: a replica is kept until the load fits the others with a margin.
  const keepWant = replicasFor(stableLoad, settings.targetInFlight * (1 - t.scaleDownHysteresis));
  const keep =
    rec === 0
      ? bounded
      : clamp(
          Math.max(rec, worth ? worth.keep : Math.min(keepWant, useful)),
          settings.minReplicas,
          settings.maxReplicas,
        );

  const recHorizon = now - Math.max(settings.scaleDownDelayMs, settings.scaleUpDelayMs);
  const recommendations = prior.recommendations.filter((r) => r.at >= recHorizon && r.at <= now);
  recommendations.push({ at: now, replicas: bounded, ...(keep > bounded ? { keep } : {}) });

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
        const loadWant = worth ? costWant : stableWant;
        reason =
          sloWant > Math.max(loadWant, kvWant)
            ? 'scale-up-slo'
            : kvWant > loadWant
              ? 'scale-up'
              : worth
                ? 'scale-up-cost'
                : panic
                  ? 'scale-up-panic'
                  : 'scale-up';
      }
    }
  } else if (bounded < current) {
    if (bounded === 0 && settings.minReplicas === 0 && !demand) {
      wanted = 0;
      reason = 'scale-to-zero';
    } else {
      const downRec = Math.max(
        ...windowOf(recommendations, now - settings.scaleDownDelayMs, prior.since, true),
      );
      if (downRec < current && !pressure) {
        wanted = downRec;
        reason = 'scale-down';
      } else {
        reason = panic
          ? 'hold-panic'
          : pressure
            ? 'hold-slo'
            : (worth?.keep ?? 0) >= current
              ? 'hold-cost'
              : 'hold-stabilising';
      }
    }
  }
  // Held at the current count by the prediction: name the objective, not a plain hold.
  if (costHold && reason === 'hold') reason = 'hold-slo';
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
    message: describe(settings, {
      current,
      desired,
      wanted,
      load,
      stableLoad,
      panicLoad,
      panic,
      pressure,
    }),
    load,
    stableLoad,
    panicLoad,
    panic,
    sloPressure: slo.scaleOut,
    sloHold: slo.hold,
    ...(slo.ttftAttainment !== undefined ? { ttftAttainment: slo.ttftAttainment } : {}),
    ...(slo.queueWaitMs !== undefined ? { queueWaitMs: slo.queueWaitMs } : {}),
    ...(worth
      ? {
          overflowInFlightHourUSD: worth.inFlightHourUSD,
          nextReplicaSavesUSD: worth.nextReplicaSavesUSD,
        }
      : {}),
    ...(capped.shortfall ? { shortfall: capped.shortfall } : {}),
  };
  return {
    decision,
    state: {
      since: prior.since,
      samples,
      recommendations,
      lastDemandAt,
      panicUntil,
      counters,
      ...(overflow ? { overflow } : {}),
      ...(sloWant > current
        ? { lastSloScaleAt: now }
        : prior.lastSloScaleAt
          ? { lastSloScaleAt: prior.lastSloScaleAt }
          : {}),
    },
  };
}

/** What the engines' recent counters say about the objective. */
export interface SloPressure {
  /** Add a replica: requests wait long enough that more replicas would shorten TTFT. */
  scaleOut: boolean;
  /** Remove none: scaleOut, or TTFT misses the objective and queueing is part of it. */
  hold: boolean;
  /** Share of first tokens within the TTFT bound over the SLO window, when enough were seen. */
  ttftAttainment?: number;
  /** Mean engine queue wait over the SLO window (ms), when enough requests left a queue. */
  queueWaitMs?: number;
}

/**
 * Whether the recent past predicts missing the objective. Queue wait is the part of TTFT that
 * more replicas remove, so it alone adds replicas: a mean engine queue wait over queueWaitShare of
 * the TTFT bound (over the SLO window), or requests waiting (at an engine or a gateway) in every
 * sample of the panic window. TTFT attainment under the goal holds the replicas there are when
 * queueing is part of it (a mean wait over a tenth of the bound); it does not add replicas by
 * itself, because a long prompt's own prefill misses a flat bound on any number of replicas.
 */
export function sloPressure(
  settings: ScalingSettings,
  samples: readonly LoadSample[],
  now: number,
): SloPressure {
  const t = settings.tuning;
  let count = 0;
  let within = 0;
  let queueCount = 0;
  let queueWaitMs = 0;
  for (const s of samples) {
    if (s.at <= now - t.sloWindowMs) continue;
    count += s.ttftCount ?? 0;
    within += s.ttftWithinSlo ?? 0;
    queueCount += s.queueCount ?? 0;
    queueWaitMs += s.queueWaitMs ?? 0;
  }
  const out: SloPressure = { scaleOut: false, hold: false };
  if (count >= t.sloMinRequests) out.ttftAttainment = within / count;
  if (queueCount >= t.sloMinRequests) out.queueWaitMs = queueWaitMs / queueCount;
  const wait = out.queueWaitMs ?? 0;
  const covered = samples[0]!.at <= now - t.panicWindowMs;
  const waiting =
    covered &&
    samples.filter((s) => s.at > now - t.panicWindowMs).every((s) => (s.queued ?? 0) > 0);
  out.scaleOut = wait > t.queueWaitShare * settings.slo.ttftMs || waiting;
  const missing = out.ttftAttainment !== undefined && out.ttftAttainment < settings.slo.attainment;
  out.hold = out.scaleOut || (missing && wait > 0.1 * settings.slo.ttftMs);
  return out;
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
  recs: readonly Recommendation[],
  from: number,
  since: number,
  keep = false,
): number[] {
  const inWindow = recs.filter((r) => r.at >= from || (since > from && r.at === since));
  return (inWindow.length > 0 ? inWindow : recs.slice(-1)).map((r) =>
    keep ? Math.max(r.replicas, r.keep ?? 0) : r.replicas,
  );
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
    pressure: boolean;
  },
): string {
  const f = (n: number) => (Math.round(n * 10) / 10).toString();
  const head = `load ${f(d.load)} in flight (${s.tuning.stableWindowMs / 1000}s mean ${f(d.stableLoad)}, ${s.tuning.panicWindowMs / 1000}s mean ${f(d.panicLoad)}${d.panic ? ', panic' : ''}${d.pressure ? ', SLO at risk' : ''}) at ${f(s.targetInFlight)} per replica`;
  const move =
    d.desired === d.current
      ? `stays at ${d.current} replica(s)`
      : `${d.current} -> ${d.desired} replica(s)`;
  const cap =
    d.desired < d.wanted ? ` (wanted ${d.wanted}; not enough free ${s.gpuType} GPUs)` : '';
  return `${head}: ${move}${cap}`;
}
