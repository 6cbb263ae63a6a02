import type { OverflowStats } from './overflow-worth.js';
import type { LatencyCounters } from './slo-signals.js';

/** One observation kept for the windows. */
export interface LoadSample {
  at: number;
  /** Load in in-flight units. */
  load: number;
  /** Requests waiting (in engine queues and at gateways). */
  queued?: number;
  /** Requests the engines held (running + waiting). */
  served?: number;
  /** Engine counters over the interval ending here (see SloSignals). */
  ttftCount?: number;
  ttftWithinSlo?: number;
  queueCount?: number;
  queueWaitMs?: number;
}

/** One recommendation of the policy (before delays), kept for the stabilisation windows. */
export interface Recommendation {
  at: number;
  replicas: number;
  /** Replicas to keep under the scale-down hysteresis, when more than `replicas`. */
  keep?: number;
}

/**
 * What the policy remembers about one Model between decisions. Plain JSON, so the loop can
 * keep it in Redis and a restarted leader carries on without flapping.
 */
export interface ScalerState {
  /** When this state was started (a fresh state waits a full window before scaling down). */
  since: number;
  samples: LoadSample[];
  recommendations: Recommendation[];
  /** Last time any demand was seen. */
  lastDemandAt: number;
  /** Panic lasts until this time (0: not in panic). */
  panicUntil: number;
  /** Each ready pod's latency counters at the last decision, to difference the next ones. */
  counters?: Record<string, LatencyCounters>;
  /** Last time the policy added a replica for SLO pressure (0: never). */
  lastSloScaleAt?: number;
  /** The cost rule's running means (when autoscaling.overflowCost is set). */
  overflow?: OverflowStats;
}

/**
 * A fresh state at `now` for a Model at `currentReplicas`: it counts as having just seen demand
 * and recommended the current count, so nothing is removed before a full window has passed.
 */
export function initialScalerState(now: number, currentReplicas: number): ScalerState {
  return {
    since: now,
    samples: [],
    recommendations: [{ at: now, replicas: currentReplicas }],
    lastDemandAt: now,
    panicUntil: 0,
  };
}

/** Parses a stored state, or undefined when it is not one (so the caller starts fresh). */
export function parseScalerState(value: unknown): ScalerState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  const pairs = (x: unknown, key: 'load' | 'replicas'): boolean =>
    Array.isArray(x) &&
    x.every(
      (p) =>
        typeof p === 'object' &&
        p !== null &&
        num((p as Record<string, unknown>).at) &&
        num((p as Record<string, unknown>)[key]),
    );
  if (!num(v.since) || !num(v.lastDemandAt) || !num(v.panicUntil)) return undefined;
  if (!pairs(v.samples, 'load') || !pairs(v.recommendations, 'replicas')) return undefined;
  if (v.counters !== undefined && (typeof v.counters !== 'object' || v.counters === null)) {
    return undefined;
  }
  if (v.lastSloScaleAt !== undefined && !num(v.lastSloScaleAt)) return undefined;
  if (v.overflow !== undefined) {
    const o = v.overflow as Record<string, unknown> | null;
    if (
      typeof o !== 'object' ||
      o === null ||
      !num(o.at) ||
      !num(o.usdPerHour) ||
      !num(o.served) ||
      !num(o.weight) ||
      !Array.isArray(o.carried) ||
      !o.carried.every(num)
    ) {
      return undefined;
    }
  }
  return value as ScalerState;
}
