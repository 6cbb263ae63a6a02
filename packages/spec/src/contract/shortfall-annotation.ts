/** The capacity-shortfall annotation: the autoscaler writes it, the controller reads it. */

/** Replicas the autoscaler wanted but free GPUs could not hold. */
export interface CapacityShortfall {
  /** Replicas short. */
  replicas: number;
  /** GPUs those replicas would need. */
  gpus: number;
  gpuType: string;
  freeGpus: number;
}

/**
 * Annotation the autoscaler sets on a Model while free GPUs cannot hold the replicas its load
 * asks for (removed when they can). The controller turns it into
 * `CapacityAvailable=False/InsufficientGPU`, and the gateway overflows instead of waiting.
 * Value: JSON `{"replicas":1,"gpus":2,"gpuType":"nvidia-h100","freeGpus":0}`.
 */
export const SHORTFALL_ANNOTATION = 'autoscaling.bascule.dev/capacity-shortfall';

export function formatShortfallAnnotation(s: CapacityShortfall): string {
  return JSON.stringify({
    replicas: s.replicas,
    gpus: s.gpus,
    gpuType: s.gpuType,
    freeGpus: s.freeGpus,
  });
}

/** Reads the annotation's value; undefined when absent or malformed. */
export function parseShortfallAnnotation(value: string | undefined): CapacityShortfall | undefined {
  if (!value) return undefined;
  try {
    const v = JSON.parse(value) as Record<string, unknown>;
    const n = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
    if (!n(v.replicas) || !n(v.gpus) || !n(v.freeGpus) || typeof v.gpuType !== 'string') {
      return undefined;
    }
    return {
      replicas: v.replicas as number,
      gpus: v.gpus as number,
      gpuType: v.gpuType,
      freeGpus: v.freeGpus as number,
    };
  } catch {
    return undefined;
  }
}
