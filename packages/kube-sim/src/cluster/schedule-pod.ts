// Picks a node for a pod (pure): filters every node, then scores the feasible ones. GPU pods
// are bin-packed (the node left with the fewest free GPUs wins, keeping whole nodes free for
// large tensor-parallel replicas); other pods go to the least-allocated node by CPU. Ties go to
// the node name. When nothing fits, the message is the real scheduler's FitError text.
import { fitPodToNode, type NodeUsage } from './fit-pod.js';
import type { Node, Pod } from './kube-types.js';
import { parseCpuMillis, parseQuantity } from './quantity.js';
import { emptyRequests, podRequests } from './pod-requests.js';

export type ScheduleResult = { nodeName: string } | { nodeName?: undefined; message: string };

export function emptyUsage(): NodeUsage {
  return { requests: emptyRequests(), pods: 0 };
}

function histogram(counts: Map<string, number>): string {
  return [...counts.entries()]
    .map(([reason, n]) => `${n} ${reason}`)
    .sort()
    .join(', ');
}

/** The scheduler's "0/N nodes are available: ..." message, with the preemption post-filter part. */
export function formatFitError(
  numNodes: number,
  failures: { reasons: string[]; resolvable: boolean }[],
): string {
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  for (const f of failures) {
    for (const r of f.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    const p = f.resolvable
      ? 'No preemption victims found for incoming pod'
      : 'Preemption is not helpful for scheduling';
    preemption.set(p, (preemption.get(p) ?? 0) + 1);
  }
  let message = `0/${numNodes} nodes are available`;
  if (numNodes === 0) return `${message}: no nodes available to schedule pods.`;
  message += `: ${histogram(reasons)}.`;
  return `${message} preemption: 0/${numNodes} nodes are available: ${histogram(preemption)}.`;
}

export function schedulePod(
  pod: Pod,
  nodes: Node[],
  usage: Map<string, NodeUsage>,
): ScheduleResult {
  const requests = podRequests(pod);
  const failures: { reasons: string[]; resolvable: boolean }[] = [];
  let best: { name: string; score: number } | undefined;
  const gpuRequest = requests.scalar['nvidia.com/gpu'] ?? 0;
  for (const node of nodes) {
    const used = usage.get(node.metadata.name) ?? emptyUsage();
    const fit = fitPodToNode(pod, requests, node, used);
    if (fit.reasons.length > 0) {
      failures.push(fit);
      continue;
    }
    const allocatable = node.status?.allocatable ?? {};
    let score: number;
    if (gpuRequest > 0) {
      const free =
        parseQuantity(allocatable['nvidia.com/gpu'] ?? '0') -
        (used.requests.scalar['nvidia.com/gpu'] ?? 0);
      score = -(free - gpuRequest);
    } else {
      const cpu = parseCpuMillis(allocatable.cpu ?? '1') || 1;
      const gpus = parseQuantity(allocatable['nvidia.com/gpu'] ?? '0');
      // Least allocated, and keep CPU-only pods off GPU nodes when they can.
      score = 1 - (used.requests.cpuMillis + requests.cpuMillis) / cpu - (gpus > 0 ? 1 : 0);
    }
    const name = node.metadata.name;
    if (!best || score > best.score || (score === best.score && name < best.name))
      best = { name, score };
  }
  if (best) return { nodeName: best.name };
  return { message: formatFitError(nodes.length, failures) };
}

/** Requests already placed on each node by pods that still hold resources. */
export function nodeUsage(pods: Pod[]): Map<string, NodeUsage> {
  const usage = new Map<string, NodeUsage>();
  for (const pod of pods) {
    const node = pod.spec.nodeName;
    const phase = pod.status?.phase;
    if (!node || phase === 'Succeeded' || phase === 'Failed') continue;
    const u = usage.get(node) ?? emptyUsage();
    const r = podRequests(pod);
    u.pods += 1;
    u.requests.cpuMillis += r.cpuMillis;
    u.requests.memoryBytes += r.memoryBytes;
    for (const [k, v] of Object.entries(r.scalar))
      u.requests.scalar[k] = (u.requests.scalar[k] ?? 0) + v;
    usage.set(node, u);
  }
  return usage;
}
