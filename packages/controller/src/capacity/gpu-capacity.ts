import type { V1Container, V1Node, V1Pod, V1Taint, V1Toleration } from '@kubernetes/client-node';
import {
  DEFAULT_GPU_PROFILES,
  GPU_PRODUCT_LABEL,
  GPU_RESOURCE,
  GPU_TOLERATION,
  gpuTypeOfNode,
  type GpuProfileTable,
} from '@bascule/engines';

/** GPUs of one type across the cluster. */
export interface GpuTypeCapacity {
  type: string;
  /** Nodes carrying this GPU type. */
  nodes: number;
  /** Of those, nodes that are Ready and accept pods. */
  schedulableNodes: number;
  /** Allocatable GPUs on schedulable nodes. */
  allocatable: number;
  /** GPUs requested by pods bound to nodes of this type (any node state). */
  used: number;
  /** Allocatable minus used, on schedulable nodes. */
  free: number;
  /** Most free GPUs on one schedulable node: the largest replica that fits now. */
  largestFreeOnNode: number;
  /** Most GPUs any one node of this type has (whatever its state): the largest replica that could ever fit. */
  largestNode?: number;
}

/** Free and used GPUs per type, for the gateway, the autoscaler and the API. */
export interface GpuCapacity {
  byType: Record<string, GpuTypeCapacity>;
}

/** GPUs a pod asks for: the larger of its containers' sum and any init container. */
export function podGpuRequest(pod: V1Pod): number {
  const of = (c: V1Container) => {
    const raw = c.resources?.requests?.[GPU_RESOURCE] ?? c.resources?.limits?.[GPU_RESOURCE];
    const n = raw === undefined ? 0 : Number.parseInt(String(raw), 10);
    return Number.isFinite(n) ? n : 0;
  };
  const sum = (pod.spec?.containers ?? []).reduce((acc, c) => acc + of(c), 0);
  return Math.max(sum, ...(pod.spec?.initContainers ?? []).map(of));
}

/** A toleration matches a taint as the scheduler's TaintToleration plugin decides. */
export function tolerates(toleration: V1Toleration, taint: V1Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  if (!toleration.key) return false;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/**
 * The node is Ready, not cordoned, and every NoSchedule/NoExecute taint on it is tolerated by
 * the pods that would go there (a Model's pods carry their GPU profile's tolerations): as the
 * scheduler filters, so "a replica would fit now" is never said of a node it would reject.
 */
export function isSchedulable(node: V1Node, tolerations: readonly V1Toleration[] = []): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  const blocked = (node.spec?.taints ?? []).some(
    (t) =>
      (t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
      !tolerations.some((tol) => tolerates(tol, t)),
  );
  return ready && !node.spec?.unschedulable && !blocked;
}

function isActive(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * Computes GPU capacity from Nodes and Pods: each node's type comes from the GPU profile table
 * (its `nvidia.com/gpu.product` label otherwise), usage from the GPU requests of the active
 * pods bound to it, whoever owns them.
 */
export function computeGpuCapacity(
  nodes: readonly V1Node[],
  pods: readonly V1Pod[],
  profiles: GpuProfileTable = DEFAULT_GPU_PROFILES,
): GpuCapacity {
  const usedByNode = new Map<string, number>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node || !isActive(pod)) continue;
    const gpus = podGpuRequest(pod);
    if (gpus > 0) usedByNode.set(node, (usedByNode.get(node) ?? 0) + gpus);
  }
  const byType: Record<string, GpuTypeCapacity> = {};
  for (const node of nodes) {
    const raw = node.status?.allocatable?.[GPU_RESOURCE];
    const allocatable = raw === undefined ? 0 : Number.parseInt(String(raw), 10) || 0;
    if (allocatable <= 0) continue;
    const labels = node.metadata?.labels;
    const type = gpuTypeOfNode(labels, profiles) ?? labels?.[GPU_PRODUCT_LABEL] ?? 'unknown';
    const entry = (byType[type] ??= {
      type,
      nodes: 0,
      schedulableNodes: 0,
      allocatable: 0,
      used: 0,
      free: 0,
      largestFreeOnNode: 0,
    });
    const used = usedByNode.get(node.metadata?.name ?? '') ?? 0;
    entry.nodes++;
    entry.used += used;
    entry.largestNode = Math.max(entry.largestNode ?? 0, allocatable);
    if (isSchedulable(node, profiles[type]?.tolerations ?? [GPU_TOLERATION])) {
      const free = Math.max(0, allocatable - used);
      entry.schedulableNodes++;
      entry.allocatable += allocatable;
      entry.free += free;
      entry.largestFreeOnNode = Math.max(entry.largestFreeOnNode, free);
    }
  }
  return { byType };
}

/** Capacity of one type, zeros when the cluster has none. */
export function capacityOf(capacity: GpuCapacity, type: string): GpuTypeCapacity {
  return (
    capacity.byType[type] ?? {
      type,
      nodes: 0,
      schedulableNodes: 0,
      allocatable: 0,
      used: 0,
      free: 0,
      largestFreeOnNode: 0,
    }
  );
}
