import type { V1Affinity, V1Toleration } from '@kubernetes/client-node';
import { KNOWN_GPU_TYPES, type KnownGpuType } from '@bascule/spec';
import { EngineRenderError } from '../adapter/engine-render-error.js';

/** Label key -> the values any one of which a node may carry (an `In` requirement). */
export type NodeLabelTerm = Readonly<Record<string, readonly string[]>>;

/** How pods asking for one GPU type find its nodes. */
export interface GpuNodeProfile {
  /** Labels a node must carry (the pod's nodeSelector); may be empty when `anyOf` is set. */
  nodeSelector: Record<string, string>;
  /**
   * Alternatives, one of which a node must match besides `nodeSelector`: the pod's required
   * node affinity, one nodeSelectorTerm per entry (terms are ORed, keys within one ANDed).
   */
  anyOf?: readonly NodeLabelTerm[];
  /** Taints of those nodes the pod tolerates. */
  tolerations: V1Toleration[];
}

/** GPU type as written in `spec.gpus` (e.g. `nvidia-h100`) -> its node profile. */
export type GpuProfileTable = Readonly<Record<string, GpuNodeProfile>>;

/** Label NVIDIA GPU feature discovery sets on GPU nodes. */
export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';
/** Label GKE sets on the nodes of every GPU node pool. */
export const GKE_ACCELERATOR_LABEL = 'cloud.google.com/gke-accelerator';
/** Well-known label of every node's machine type (EC2 instance type on EKS). */
export const INSTANCE_TYPE_LABEL = 'node.kubernetes.io/instance-type';
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
 * The node label alternatives of a known GPU type: GPU feature discovery's product label, GKE's
 * accelerator label, EKS's instance types (each only where the platform offers the GPU).
 */
export function platformTerms(type: KnownGpuType): NodeLabelTerm[] {
  const terms: NodeLabelTerm[] = [
    { [GPU_PRODUCT_LABEL]: [type.product, ...(type.products ?? [])] },
  ];
  if (type.gkeAccelerator?.length) terms.push({ [GKE_ACCELERATOR_LABEL]: type.gkeAccelerator });
  if (type.eksInstanceTypes?.length) terms.push({ [INSTANCE_TYPE_LABEL]: type.eksInstanceTypes });
  return terms;
}

/**
 * Defaults: every known GPU type selects nodes by any of its platform labels (GFD's
 * `nvidia.com/gpu.product`, GKE's `cloud.google.com/gke-accelerator`, EKS's instance type), so
 * the same Model lands on GFD-labelled, GKE and EKS nodes as they come, and tolerates the GPU taint.
 */
export const DEFAULT_GPU_PROFILES: GpuProfileTable = Object.fromEntries(
  Object.entries(KNOWN_GPU_TYPES).map(([name, type]) => [
    name,
    { nodeSelector: {}, anyOf: platformTerms(type), tolerations: [GPU_TOLERATION] },
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

/** Whether a node's labels satisfy a profile: every nodeSelector label, and one `anyOf` term. */
export function nodeMatchesProfile(
  labels: Readonly<Record<string, string>>,
  profile: GpuNodeProfile,
): boolean {
  const selector = Object.entries(profile.nodeSelector);
  const terms = profile.anyOf ?? [];
  if (selector.length === 0 && terms.length === 0) return false;
  if (!selector.every(([k, v]) => labels[k] === v)) return false;
  return (
    terms.length === 0 ||
    terms.some((term) =>
      Object.entries(term).every(
        ([k, values]) => labels[k] !== undefined && values.includes(labels[k]),
      ),
    )
  );
}

/** A profile's `anyOf` as a pod's required node affinity (undefined without terms). */
export function requiredNodeAffinity(profile: GpuNodeProfile): V1Affinity | undefined {
  if (!profile.anyOf?.length) return undefined;
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: profile.anyOf.map((term) => ({
          matchExpressions: Object.entries(term).map(([key, values]) => ({
            key,
            operator: 'In',
            values: [...values],
          })),
        })),
      },
    },
  };
}

/** The GPU type whose profile a node matches, if any. */
export function gpuTypeOfNode(
  labels: Readonly<Record<string, string>> | undefined,
  table: GpuProfileTable = DEFAULT_GPU_PROFILES,
): string | undefined {
  if (!labels) return undefined;
  for (const [type, profile] of Object.entries(table))
    if (nodeMatchesProfile(labels, profile)) return type;
  return undefined;
}
