import type { FallbackTrigger } from '@bascule/spec';

/** Live capacity of one Model as the gateway sees it (its endpoint store and the Model's status). */
export interface ModelCapacity {
  /** Endpoints the gateway may send to now (ready, not ejected). */
  endpoints: number;
  /** Of those, endpoints below the Model's maxConcurrency. */
  withHeadroom: number;
  /** status.replicas.ready */
  readyReplicas: number;
  /** status.replicas.desired (or spec.replicas) */
  desiredReplicas: number;
  /** CapacityAvailable is False: no free GPU fits another replica. */
  unschedulable: boolean;
  /** When the gateway can estimate it: how long until a slot frees up. */
  expectedWaitMs?: number;
}

export type CapacityLookup = (modelName: string) => ModelCapacity;

/** Why a self-hosted target cannot take a request now. */
export type ShortageReason = 'saturated' | 'cold-start' | 'no-endpoints' | 'unschedulable';

export type CapacityAssessment =
  | { ok: true }
  | {
      ok: false;
      reason: ShortageReason;
      /** Fallback triggers that let the request overflow past this target. */
      triggers: readonly FallbackTrigger[];
      /** A slot is expected within maxQueueWait: waiting beats overflowing. */
      expectedWithinWait: boolean;
      message: string;
    };

/** Whether a Model can take one more request now, and if not, why. */
export function assessCapacity(cap: ModelCapacity, maxQueueWaitMs: number): CapacityAssessment {
  if (cap.endpoints > 0 && cap.withHeadroom > 0) return { ok: true };
  if (cap.endpoints > 0) {
    const within = cap.expectedWaitMs !== undefined && cap.expectedWaitMs <= maxQueueWaitMs;
    return {
      ok: false,
      reason: 'saturated',
      triggers: ['noCapacity', 'queueWait'],
      expectedWithinWait: within,
      message: `all ${cap.endpoints} endpoint(s) are at maxConcurrency${
        cap.expectedWaitMs === undefined
          ? ''
          : `; a slot is expected in ~${Math.round(cap.expectedWaitMs)} ms`
      }`,
    };
  }
  if (cap.readyReplicas === 0 && cap.unschedulable) {
    return {
      ok: false,
      reason: 'unschedulable',
      triggers: ['noCapacity'],
      expectedWithinWait: false,
      message: 'no ready replica and no free GPU fits one (CapacityAvailable=False)',
    };
  }
  if (cap.readyReplicas === 0) {
    return {
      ok: false,
      reason: 'cold-start',
      triggers: ['coldStart'],
      expectedWithinWait: false,
      message:
        cap.desiredReplicas === 0
          ? 'scaled to zero; a replica must start first'
          : `0 of ${cap.desiredReplicas} replica(s) ready (starting)`,
    };
  }
  return {
    ok: false,
    reason: 'no-endpoints',
    triggers: ['noCapacity'],
    expectedWithinWait: false,
    message: `${cap.readyReplicas} replica(s) ready but no endpoint is reachable (ejected or not yet published)`,
  };
}
