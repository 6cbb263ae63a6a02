import type { V1Container, V1Node, V1Pod } from '@kubernetes/client-node';
import {
  DEFAULT_GPU_PROFILES,
  GPU_PRODUCT_LABEL,
  GPU_RESOURCE,
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

/** The node is Ready, not cordoned and not tainted unreachable/not-ready. */
export function isSchedulable(node: V1Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  const blocked = (node.spec?.taints ?? []).some(
    (t) =>
      (t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
      (t.key === 'node.kubernetes.io/unreachable' || t.key === 'node.kubernetes.io/not-ready'),
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
    if (isSchedulable(node)) {
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
