import type { V1Toleration } from '@kubernetes/client-node';
import { KNOWN_GPU_TYPES } from '@bascule/spec';
import { EngineRenderError } from '../adapter/engine-render-error.js';

/** How pods asking for one GPU type find its nodes. */
export interface GpuNodeProfile {
  /** Labels a node must carry (the pod's nodeSelector). */
  nodeSelector: Record<string, string>;
  /** Taints of those nodes the pod tolerates. */
  tolerations: V1Toleration[];
}

/** GPU type as written in `spec.gpus` (e.g. `nvidia-h100`) -> its node profile. */
export type GpuProfileTable = Readonly<Record<string, GpuNodeProfile>>;

/** Label NVIDIA GPU feature discovery sets on GPU nodes. */
export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';
/** Extended resource of the NVIDIA device plugin. */
export const GPU_RESOURCE = 'nvidia.com/gpu';

/**
 * The taint GPU node pools commonly carry (GKE adds `nvidia.com/gpu=present:NoSchedule` to every
 * GPU pool; EKS and AKS guides recommend it); tolerating it by key covers any value.
 */
export const GPU_TOLERATION: V1Toleration = {
  key: GPU_RESOURCE,
  operator: 'Exists',
  effect: 'NoSchedule',
};

/**
 * Defaults: every known GPU type selects nodes by its `nvidia.com/gpu.product` label and
 * tolerates the GPU taint. These match the labels GPU feature discovery writes (and kube-sim's).
 */
export const DEFAULT_GPU_PROFILES: GpuProfileTable = Object.fromEntries(
  Object.entries(KNOWN_GPU_TYPES).map(([type, { product }]) => [
    type,
    { nodeSelector: { [GPU_PRODUCT_LABEL]: product }, tolerations: [GPU_TOLERATION] },
  ]),
);

/** The node profile of a GPU type; an EngineRenderError naming the known types when absent. */
export function gpuNodeProfile(
  type: string,
  table: GpuProfileTable = DEFAULT_GPU_PROFILES,
): GpuNodeProfile {
  const profile = table[type];
  if (!profile) {
    throw new EngineRenderError(
      `spec.gpus: unknown GPU type "${type}"; known types: ${Object.keys(table).sort().join(', ')} (add it to the controller's GPU profile table)`,
      'UnknownGPUType',
    );
  }
  return profile;
}

/** The GPU type whose profile a node matches (all nodeSelector labels equal), if any. */
export function gpuTypeOfNode(
  labels: Readonly<Record<string, string>> | undefined,
  table: GpuProfileTable = DEFAULT_GPU_PROFILES,
): string | undefined {
  if (!labels) return undefined;
  for (const [type, profile] of Object.entries(table)) {
    const entries = Object.entries(profile.nodeSelector);
    if (entries.length > 0 && entries.every(([k, v]) => labels[k] === v)) return type;
  }
  return undefined;
}
