import type { EngineObservation } from './slo-signals.js';

/** What the policy observes about one Model at one instant. */
export interface ScalingInput {
  /** Time of the observation (ms, from the injected clock). */
  now: number;
  /** In-flight requests for the Model summed across gateways (sent and waiting at the gateway). */
  gatewayInFlight: number;
  /** In-flight requests that wanted the Model but overflowed to another target. */
  overflowInFlight?: number;
  /**
   * Load of each ready replica, read from its /metrics (empty when none is ready or scraping
   * failed), with its latency counters when the engine exports them.
   */
  engines: readonly EngineObservation[];
  /**
   * Requests waiting at the gateways for the Model's headroom, when known; otherwise the part of
   * gatewayInFlight the engines do not report (see queuedRequests).
   */
  gatewayWaiting?: number;
  /** Async jobs queued for the Model. */
  queuedJobs: number;
  /** Replicas passing readiness. */
  readyReplicas: number;
  /** Desired replicas now (spec.replicas). */
  currentReplicas: number;
  /** Replicas whose pods are bound to a node and so hold GPUs (ready or starting). */
  scheduledReplicas: number;
  /**
   * Replicas whose pods the scheduler reported it cannot place (PodScheduled=False,
   * Unschedulable); 0 when omitted. Only these are dropped for want of GPUs.
   */
  unschedulableReplicas?: number;
  /** Free GPUs of the Model's type on schedulable nodes (GPUs held by its own pods not included). */
  freeGpus: number;
}

/** Load in in-flight units: the larger of the gateways' and the engines' view, plus unmet demand. */
export function observedLoad(input: ScalingInput, queuedJobWeight: number): number {
  let engine = 0;
  for (const e of input.engines) engine += e.running + e.waiting;
  const served = Math.max(input.gatewayInFlight, engine);
  return served + (input.overflowInFlight ?? 0) + input.queuedJobs * queuedJobWeight;
}

/** Any sign someone wants the Model: a request in flight or waiting, an overflowed one, a queued job. */
export function hasDemand(input: ScalingInput): boolean {
  if (input.gatewayInFlight > 0 || (input.overflowInFlight ?? 0) > 0 || input.queuedJobs > 0) {
    return true;
  }
  return input.engines.some((e) => e.running + e.waiting > 0);
}

/** Mean KV-cache usage of the ready replicas that report it, or undefined. */
export function meanKvCacheUsage(input: ScalingInput): number | undefined {
  let sum = 0;
  let n = 0;
  for (const e of input.engines) {
    if (e.kvCacheUsage === undefined) continue;
    sum += e.kvCacheUsage;
    n++;
  }
  return n > 0 ? sum / n : undefined;
}

/**
 * Requests waiting, not yet running: in the engines' queues, plus at the gateways. The gateways
 * report no separate waiting count (their in-flight count includes requests waiting for
 * headroom), so unless given it is the part of their count the engines do not hold, taken only
 * when every ready replica reported and is at `maxConcurrency` (a gateway waits only then; any
 * other difference is requests in transit between the two reads).
 */
export function queuedRequests(input: ScalingInput, maxConcurrency: number): number {
  let waiting = 0;
  let held = 0;
  let full = input.engines.length > 0 && input.engines.length >= input.readyReplicas;
  for (const e of input.engines) {
    waiting += e.waiting;
    held += e.running + e.waiting;
    if (e.running + e.waiting < maxConcurrency) full = false;
  }
  const atGateway = input.gatewayWaiting ?? (full ? Math.max(0, input.gatewayInFlight - held) : 0);
  return waiting + atGateway;
}
