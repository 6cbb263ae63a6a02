import type { EngineObservation } from './slo-signals.js';
import { decideScale } from './decide-scale.js';
import type { ScaleDecision } from './scale-decision.js';
import type { ScalerState } from './scaler-state.js';
import type { ScalingInput } from './scaling-input.js';
import type { ScalingSettings } from './scaling-settings.js';

/** Load at one instant of a scripted curve. */
export interface CurvePoint {
  inFlight: number;
  queuedJobs?: number;
  engines?: EngineObservation[];
  /** Requests waiting at the gateways. */
  gatewayWaiting?: number;
  /** Requests that overflowed and are in flight elsewhere. */
  overflowInFlight?: number;
}

export interface RunCurveOptions {
  settings: ScalingSettings;
  /** Load as a function of virtual time (ms) and the replicas ready then. */
  load: (atMs: number, readyReplicas: number) => CurvePoint;
  durationMs: number;
  tickMs?: number;
  startReplicas?: number;
  /** Total GPUs of the type in the cluster (default: unlimited). */
  gpuBudget?: number;
  /** Replicas turn ready this long after being asked for (default 0). */
  readyDelayMs?: number;
  /** Drop the policy state at these times, as a restarted leader would. */
  restartsAtMs?: number[];
}

export interface CurveStep {
  at: number;
  decision: ScaleDecision;
}

/**
 * Drives the policy over a scripted load curve in virtual time, the way the loop would: one
 * decision per tick, replicas created at once (holding GPUs) and ready after `readyDelayMs`.
 * A harness for tests and experiments; it does no I/O.
 */
export function runCurve(o: RunCurveOptions): CurveStep[] {
  const tick = o.tickMs ?? 2_000;
  const per = o.settings.gpusPerReplica;
  const budget = o.gpuBudget ?? Number.MAX_SAFE_INTEGER;
  const restarts = new Set(o.restartsAtMs ?? []);
  let current = o.startReplicas ?? o.settings.minReplicas;
  let readyAt: number[] = Array.from({ length: current }, () => 0);
  let state: ScalerState | undefined;
  const steps: CurveStep[] = [];
  for (let at = 0; at <= o.durationMs; at += tick) {
    if (restarts.has(at)) state = undefined;
    const ready = readyAt.filter((r) => r <= at).length;
    const p = o.load(at, ready);
    const input: ScalingInput = {
      now: at,
      gatewayInFlight: p.inFlight,
      ...(p.gatewayWaiting !== undefined ? { gatewayWaiting: p.gatewayWaiting } : {}),
      ...(p.overflowInFlight !== undefined ? { overflowInFlight: p.overflowInFlight } : {}),
      engines: p.engines ?? [],
      queuedJobs: p.queuedJobs ?? 0,
      readyReplicas: ready,
      currentReplicas: current,
      scheduledReplicas: current,
      freeGpus: Math.max(0, budget - current * per),
    };
    const r = decideScale(o.settings, input, state);
    state = r.state;
    steps.push({ at, decision: r.decision });
    const next = r.decision.desired;
    if (next > current) {
      readyAt = [
        ...readyAt,
        ...Array.from({ length: next - current }, () => at + (o.readyDelayMs ?? 0)),
      ];
    } else if (next < current) readyAt = readyAt.slice(0, next);
    current = next;
  }
  return steps;
}
