import { resolveModelSpec, type Model } from '@bascule/spec';

/** How the policy reacts, beyond the Model's own settings. Defaults follow Knative's KPA and the HPA, adapted to GPU cold starts. */
export interface PolicyTuning {
  /** Window whose mean load sets the replica count outside panic (Knative stable window). */
  stableWindowMs: number;
  /**
   * Short window watched for bursts: load must stay high for all of it to count. Knative uses 6 s
   * (10% of the stable window) for containers that start in seconds; a GPU replica takes about a
   * minute to load its model, so a burst must last a third of that before replicas are started
   * for it (shorter ones are over before the replicas are ready, and overflow covers them).
   */
  panicWindowMs: number;
  /** Enter panic when the panic window asks for this many times the ready replicas. */
  panicThreshold: number;
  /** Largest scale-up of one decision: to max(current x factor, current + step). */
  maxScaleUpFactor: number;
  maxScaleUpStep: number;
  /** Scale-up bounds in panic (faster steps). */
  panicScaleUpFactor: number;
  panicScaleUpStep: number;
  /** Mean KV-cache usage of the ready replicas above which they count as full. */
  kvCacheTarget: number;
  /** Weight of one queued async job against one in-flight request. */
  queuedJobWeight: number;
  /**
   * Scale-down hysteresis: a replica is removed only when the load fits the remaining ones at
   * (1 - this) of the target, so load hovering at a boundary does not flap.
   */
  scaleDownHysteresis: number;
  /** Window over which the engines' recent SLO attainment and queue wait are judged. */
  sloWindowMs: number;
  /** Fewest first tokens in that window for its attainment to count (fewer is noise). */
  sloMinRequests: number;
  /** Share of the TTFT objective that mean queue wait may take before it counts as pressure. */
  queueWaitShare: number;
  /**
   * Time constant of the cost rule's means (overflowWorth): long against a GPU cold start, so a
   * replica is added for overflow that lasts, not for a burst over before it is ready.
   */
  costWindowMs: number;
}

export const DEFAULT_TUNING: PolicyTuning = {
  stableWindowMs: 60_000,
  panicWindowMs: 20_000,
  panicThreshold: 2,
  maxScaleUpFactor: 2,
  maxScaleUpStep: 4,
  panicScaleUpFactor: 4,
  panicScaleUpStep: 8,
  kvCacheTarget: 0.9,
  queuedJobWeight: 1,
  scaleDownHysteresis: 0.2,
  sloWindowMs: 30_000,
  sloMinRequests: 20,
  queueWaitShare: 0.25,
  costWindowMs: 600_000,
};

/** Everything the policy needs to know about one Model, resolved from its spec. */
export interface ScalingSettings {
  minReplicas: number;
  maxReplicas: number;
  /** In-flight requests one replica should carry. */
  targetInFlight: number;
  /** Requests one replica runs at once (the gateway's headroom per replica). */
  maxConcurrency: number;
  /** Load must ask for more replicas this long before adding them (0: at once). */
  scaleUpDelayMs: number;
  /** Stabilisation window: load must stay low this long before removing replicas. */
  scaleDownDelayMs: number;
  /** The Model's latency objective (ms) and the share of requests that should meet it. */
  slo: { ttftMs: number; tpotMs: number; attainment: number };
  /** No demand at all for this long scales to zero (when minReplicas is 0). */
  scaleToZeroDelayMs: number;
  /** USD one replica costs per hour (cost.gpuHourUSD x GPUs per replica; 0: unknown). */
  replicaHourUSD: number;
  /**
   * USD per prompt and output token where requests overflow (autoscaling.overflowCost); with
   * replicaHourUSD it turns on the cost rule (see overflowWorth). Undefined: off.
   */
  overflowUSDPerToken?: { input: number; output: number };
  /** GPUs of gpuType one replica needs. */
  gpusPerReplica: number;
  gpuType: string;
  tuning: PolicyTuning;
}

/** The Model's autoscaling settings with every default applied. */
export function scalingSettingsFromModel(
  model: Model,
  tuning: Partial<PolicyTuning> = {},
): ScalingSettings {
  const r = resolveModelSpec(model.metadata.name, model.spec);
  const a = model.spec.autoscaling;
  return {
    minReplicas: a.minReplicas,
    maxReplicas: Math.max(a.minReplicas, a.maxReplicas),
    targetInFlight: r.targetInFlight,
    maxConcurrency: model.spec.maxConcurrency,
    scaleUpDelayMs: r.scaleUpDelayMs,
    scaleDownDelayMs: r.scaleDownDelayMs,
    scaleToZeroDelayMs: r.scaleToZeroDelayMs,
    slo: r.slo,
    replicaHourUSD: r.replicaHourUSD,
    ...(r.overflowUSDPerToken ? { overflowUSDPerToken: r.overflowUSDPerToken } : {}),
    gpusPerReplica: r.gpuCount,
    gpuType: r.gpuType,
    tuning: { ...DEFAULT_TUNING, ...tuning },
  };
}
