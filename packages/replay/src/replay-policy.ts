/** A way to serve the trace. */
export type ReplayPolicy =
  | { kind: 'fixed'; name: string; replicas: number }
  | {
      kind: 'autoscaler';
      name: string;
      /** Warm replicas at the start (default: the scenario's, else warmReplicas of the trace). */
      startReplicas?: number;
    }
  | { kind: 'closed-api'; name: string };

/** One request's fate. */
export interface RequestOutcome {
  arrivedAt: number;
  promptTokens: number;
  outputTokens: number;
  served: 'model' | 'closed-api' | 'rejected';
  /** The Route reason, e.g. priority or overflow:saturated. */
  reason: string;
  firstTokenAt?: number;
  finishedAt?: number;
}

/** One sample of the timeline, every tick. */
export interface TimelinePoint {
  t: number;
  desired: number;
  ready: number;
  /** Replicas holding GPUs (starting, ready, draining). */
  holding: number;
  /** Requests at the gateway for the Model (sent and waiting). */
  inFlight: number;
  /** Requests that overflowed and are in flight at the closed API. */
  overflowInFlight: number;
  /** Arrivals per second since the previous point. */
  arrivalRate: number;
}

export interface ScaleEvent {
  t: number;
  from: number;
  to: number;
  reason: string;
}

/**
 * The Route moved the request off the Model for lack of capacity (saturated, cold start, no
 * endpoints, unschedulable). A prompt longer than the Model's context also leaves it (reason
 * overflow:context-length), but no replica count would have kept it: it is not capacity overflow.
 */
export function isCapacityOverflow(reason: string): boolean {
  return reason.startsWith('overflow:') && reason !== 'overflow:context-length';
}
