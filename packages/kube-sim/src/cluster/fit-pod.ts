// The scheduler's filters for one pod on one node, in the default plugin order
// (NodeUnschedulable, TaintToleration, NodeAffinity, NodeResourcesFit). Like the real
// scheduler, a node is rejected by the first plugin that fails; NodeResourcesFit reports every
// insufficient resource. Reasons use the real scheduler's wording.
import { matchesRequirement } from './label-selector.js';
import type { Node, Pod, Taint, Toleration } from './kube-types.js';
import { parseCpuMillis, parseQuantity } from './quantity.js';
import type { PodRequests } from './pod-requests.js';

export interface NodeUsage {
  requests: PodRequests;
  pods: number;
}

export interface FitResult {
  reasons: string[];
  /** False when evicting other pods could never help (taints, selectors), as preemption judges it. */
  resolvable: boolean;
}

export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  if (!toleration.key) return false;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/** The first NoSchedule/NoExecute taint the pod does not tolerate. */
export function untoleratedTaint(node: Node, tolerations: Toleration[] = []): Taint | undefined {
  return (node.spec?.taints ?? []).find(
    (t) =>
      (t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
      !tolerations.some((tol) => tolerates(tol, t)),
  );
}

export function matchesNodeSelector(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {}))
    if (labels[k] !== v) return false;
  const terms =
    pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  const fields: Record<string, string> = { 'metadata.name': node.metadata.name };
  return terms.some(
    (term) =>
      (term.matchExpressions ?? []).every((r) => matchesRequirement(r, labels)) &&
      (term.matchFields ?? []).every((r) => matchesRequirement(r, fields)) &&
      ((term.matchExpressions?.length ?? 0) > 0 || (term.matchFields?.length ?? 0) > 0),
  );
}

export function fitPodToNode(
  pod: Pod,
  requests: PodRequests,
  node: Node,
  usage: NodeUsage,
): FitResult {
  if (node.spec?.unschedulable)
    return { reasons: ['node(s) were unschedulable'], resolvable: false };
  const taint = untoleratedTaint(node, pod.spec.tolerations);
  if (taint) {
    return {
      reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`],
      resolvable: false,
    };
  }
  if (!matchesNodeSelector(pod, node)) {
    return { reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false };
  }
  const allocatable = node.status?.allocatable ?? {};
  const reasons: string[] = [];
  if (usage.pods + 1 > parseQuantity(allocatable.pods ?? '110')) reasons.push('Too many pods');
  if (
    requests.cpuMillis > 0 &&
    usage.requests.cpuMillis + requests.cpuMillis > parseCpuMillis(allocatable.cpu ?? '0')
  ) {
    reasons.push('Insufficient cpu');
  }
  if (
    requests.memoryBytes > 0 &&
    usage.requests.memoryBytes + requests.memoryBytes > parseQuantity(allocatable.memory ?? '0')
  ) {
    reasons.push('Insufficient memory');
  }
  for (const [name, amount] of Object.entries(requests.scalar)) {
    if (amount <= 0) continue;
    const have = allocatable[name] === undefined ? 0 : parseQuantity(allocatable[name]);
    if ((usage.requests.scalar[name] ?? 0) + amount > have) reasons.push(`Insufficient ${name}`);
  }
  return { reasons, resolvable: true };
}
