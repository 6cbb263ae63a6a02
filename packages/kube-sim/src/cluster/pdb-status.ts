// A PodDisruptionBudget's status from the pods it covers (pure), as the disruption controller
// computes it: expectedPods from the replicas of the pods' controllers (a bare pod counts
// itself), desiredHealthy from minAvailable (rounded up) or expected - maxUnavailable (rounded
// up), currentHealthy = Ready pods not being deleted, disruptionsAllowed = current - desired.
import { isPodReady, type LabelSelector, type Pod } from './kube-types.js';
import { matchesSelector } from './label-selector.js';
import type { KubeObject } from '../store/types.js';

export interface PdbSpec {
  selector?: LabelSelector;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

export interface PdbStatus {
  expectedPods: number;
  desiredHealthy: number;
  currentHealthy: number;
  disruptionsAllowed: number;
}

function resolve(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  return /^\d+$/.test(value) ? Number(value) : 0;
}

/** Pods in the PDB's namespace its selector matches (policy/v1: an empty selector matches all). */
export function podsCoveredBy(pdb: KubeObject, pods: Pod[]): Pod[] {
  const spec = (pdb['spec'] ?? {}) as PdbSpec;
  if (!spec.selector) return [];
  return pods.filter(
    (p) =>
      p.metadata.namespace === pdb.metadata.namespace &&
      matchesSelector(spec.selector, p.metadata.labels),
  );
}

/**
 * @param replicasOf the spec.replicas of a pod's controller (by kind and name), if known.
 */
export function pdbStatus(
  pdb: KubeObject,
  covered: Pod[],
  replicasOf: (kind: string, name: string) => number | undefined,
): PdbStatus {
  const spec = (pdb['spec'] ?? {}) as PdbSpec;
  const live = covered.filter(
    (p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );
  const controllers = new Map<string, number>();
  let bare = 0;
  for (const p of live) {
    const owner = p.metadata.ownerReferences?.find((o) => o.controller);
    const replicas = owner ? replicasOf(owner.kind, owner.name) : undefined;
    if (owner && replicas !== undefined) controllers.set(`${owner.kind}/${owner.name}`, replicas);
    else if (!p.metadata.deletionTimestamp) bare++;
  }
  const expectedPods = bare + [...controllers.values()].reduce((a, b) => a + b, 0);
  const currentHealthy = live.filter((p) => !p.metadata.deletionTimestamp && isPodReady(p)).length;
  let desiredHealthy: number;
  if (spec.maxUnavailable !== undefined)
    desiredHealthy = Math.max(0, expectedPods - resolve(spec.maxUnavailable, expectedPods));
  else desiredHealthy = resolve(spec.minAvailable ?? 1, expectedPods);
  return {
    expectedPods,
    desiredHealthy,
    currentHealthy,
    disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy),
  };
}
