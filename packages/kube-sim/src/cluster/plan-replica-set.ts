// What a ReplicaSet must do to match spec.replicas (pure), and its status. Pods to delete are
// ranked as the ReplicaSet controller ranks them: unscheduled before scheduled, pending before
// running, not ready before ready, fewer restarts kept... newest first.
import { findCondition, isPodActive, isPodReady, type Pod, type ReplicaSet } from './kube-types.js';
import { matchesSelector } from './label-selector.js';

export interface ReplicaSetPlan {
  create: number;
  remove: Pod[];
}

function phaseRank(pod: Pod): number {
  const phase = pod.status?.phase;
  return phase === 'Pending' || phase === undefined ? 0 : phase === 'Unknown' ? 1 : 2;
}

function restarts(pod: Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);
}

/** Negative when a should be deleted before b. */
export function compareForDeletion(a: Pod, b: Pod): number {
  const assigned = Number(Boolean(a.spec.nodeName)) - Number(Boolean(b.spec.nodeName));
  if (assigned !== 0) return assigned;
  const phase = phaseRank(a) - phaseRank(b);
  if (phase !== 0) return phase;
  const ready = Number(isPodReady(a)) - Number(isPodReady(b));
  if (ready !== 0) return ready;
  const restart = restarts(b) - restarts(a);
  if (restart !== 0) return restart;
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  return ta > tb ? -1 : ta < tb ? 1 : a.metadata.name < b.metadata.name ? -1 : 1;
}

export function planReplicaSet(desired: number, activePods: Pod[]): ReplicaSetPlan {
  const diff = activePods.length - desired;
  if (diff < 0) return { create: -diff, remove: [] };
  if (diff === 0) return { create: 0, remove: [] };
  return { create: 0, remove: [...activePods].sort(compareForDeletion).slice(0, diff) };
}

/** Ready for at least minReadySeconds (scaled to real milliseconds). */
export function isPodAvailable(pod: Pod, minReadyMs: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadyMs <= 0) return true;
  const since = Date.parse(
    findCondition(pod.status?.conditions, 'Ready')?.lastTransitionTime ?? '',
  );
  return Number.isFinite(since) && since + minReadyMs <= now;
}

export function replicaSetStatus(
  rs: ReplicaSet,
  activePods: Pod[],
  minReadyMs: number,
  now: number,
): NonNullable<ReplicaSet['status']> {
  const labels = rs.spec.template.metadata?.labels ?? {};
  return {
    replicas: activePods.length,
    fullyLabeledReplicas: activePods.filter((p) =>
      matchesSelector({ matchLabels: labels }, p.metadata.labels),
    ).length,
    readyReplicas: activePods.filter(isPodReady).length,
    availableReplicas: activePods.filter((p) => isPodAvailable(p, minReadyMs, now)).length,
    observedGeneration: rs.metadata.generation ?? 1,
  };
}

export { isPodActive };
