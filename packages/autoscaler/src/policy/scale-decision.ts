import type { CapacityShortfall } from '@bascule/spec';

/** Why the policy chose its replica count; recorded on Events and metrics. */
export type ScaleReason =
  | 'scale-up'
  | 'scale-up-panic'
  | 'scale-up-slo'
  | 'scale-up-cost'
  | 'scale-from-zero'
  | 'scale-down'
  | 'scale-to-zero'
  | 'hold'
  | 'hold-stabilising'
  | 'hold-scale-up-delay'
  | 'hold-panic'
  | 'hold-slo'
  | 'hold-cost'
  | 'min-replicas'
  | 'max-replicas'
  | 'capacity-shortfall';

export interface ScaleDecision {
  /** Replicas to write to the scale subresource. */
  desired: number;
  /** spec.replicas before the decision. */
  current: number;
  /** What load asked for after delays and bounds, before the GPU cap. */
  wanted: number;
  reason: ScaleReason;
  /** One sentence a person can read. */
  message: string;
  /** Load in in-flight units (instant), and the window means behind the decision. */
  load: number;
  stableLoad: number;
  panicLoad: number;
  panic: boolean;
  /** Requests wait long enough that one more replica would shorten TTFT (see sloPressure). */
  sloPressure: boolean;
  /** No scale-down: sloPressure, or TTFT misses the objective with queueing part of it. */
  sloHold: boolean;
  /** Recent share of first tokens within the TTFT objective, and mean engine queue wait (ms). */
  ttftAttainment?: number;
  queueWaitMs?: number;
  /**
   * The cost rule's view (when autoscaling.overflowCost and cost.gpuHourUSD are set): USD per hour
   * one request in flight would cost at the overflow target, and the overflow USD per hour one
   * more replica would absorb (see overflowWorth).
   */
  overflowInFlightHourUSD?: number;
  nextReplicaSavesUSD?: number;
  shortfall?: CapacityShortfall;
}
