import { resolveModelSpec, type Model } from '@bascule/spec';

/** How the policy reacts, beyond the Model's own settings. Defaults follow Knative's KPA and the HPA. */
export interface PolicyTuning {
  /** Window whose mean load sets the replica count outside panic (Knative stable window). */
  stableWindowMs: number;
  /** Short window watched for bursts (Knative: 10% of the stable window). */
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
}

export const DEFAULT_TUNING: PolicyTuning = {
  stableWindowMs: 60_000,
  panicWindowMs: 6_000,
  panicThreshold: 2,
  maxScaleUpFactor: 2,
  maxScaleUpStep: 4,
  panicScaleUpFactor: 4,
  panicScaleUpStep: 8,
  kvCacheTarget: 0.9,
  queuedJobWeight: 1,
};

/** Everything the policy needs to know about one Model, resolved from its spec. */
export interface ScalingSettings {
  minReplicas: number;
  maxReplicas: number;
  /** In-flight requests one replica should carry. */
  targetInFlight: number;
  /** Load must ask for more replicas this long before adding them (0: at once). */
  scaleUpDelayMs: number;
  /** Stabilisation window: load must stay low this long before removing replicas. */
  scaleDownDelayMs: number;
  /** No demand at all for this long scales to zero (when minReplicas is 0). */
  scaleToZeroDelayMs: number;
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
    scaleUpDelayMs: r.scaleUpDelayMs,
    scaleDownDelayMs: r.scaleDownDelayMs,
    scaleToZeroDelayMs: r.scaleToZeroDelayMs,
    gpusPerReplica: r.gpuCount,
    gpuType: r.gpuType,
    tuning: { ...DEFAULT_TUNING, ...tuning },
  };
}
