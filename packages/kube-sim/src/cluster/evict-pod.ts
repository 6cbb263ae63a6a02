// The Eviction API (POST pods/{name}/eviction, policy/v1 Eviction), as the API server's
// eviction REST handler decides it: a finished pod, or one being deleted, is deleted; a pod no
// PodDisruptionBudget covers is deleted; a pod covered by more than one PDB is refused (500, as
// the API server does); otherwise the PDB's disruptionsAllowed must be > 0, else 429
// TooManyRequests with the budget in the message (kubectl drain retries on it). An unready pod
// may be evicted while the budget is met (unhealthyPodEvictionPolicy IfHealthyBudget) or always
// (AlwaysAllow). The budget is computed from the live pods at the moment of the request, so two
// evictions in a row cannot both spend the same disruption.
import { StatusError, notFound } from '../store/status-error.js';
import type { DeleteOptions, KubeObject, ObjectStore } from '../store/types.js';
import { isPodReady, RESOURCES, type Pod } from './kube-types.js';
import { pdbStatus, podsCoveredBy } from './pdb-status.js';
import { listShared } from './shared-reads.js';

export const PDBS = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' };
export const STATEFULSETS = { group: 'apps', version: 'v1', resource: 'statefulsets' };

/** spec.replicas of a pod's controller (ReplicaSet or StatefulSet), for expectedPods. */
export function replicasLookup(store: ObjectStore, namespace: string | undefined) {
  return (kind: string, name: string): number | undefined => {
    const ref =
      kind === 'ReplicaSet' ? RESOURCES.replicaSets : kind === 'StatefulSet' ? STATEFULSETS : null;
    if (!ref) return undefined;
    const owner = store.get(ref, namespace, name);
    const replicas = (owner?.['spec'] as { replicas?: number } | undefined)?.replicas;
    return owner ? (replicas ?? 1) : undefined;
  };
}

function tooManyRequests(message: string, cause?: string): StatusError {
  return new StatusError(429, 'TooManyRequests', message, {
    ...(cause ? { causes: [{ reason: 'DisruptionBudget', message: cause }] } : {}),
  });
}

export function evictPod(
  store: ObjectStore,
  namespace: string,
  name: string,
  eviction: KubeObject | undefined,
): void {
  const pod = store.get(RESOURCES.pods, namespace, name) as Pod | undefined;
  if (!pod) throw notFound('', 'pods', name);
  const opts = (eviction?.['deleteOptions'] ?? {}) as { gracePeriodSeconds?: number };
  const deleteOptions: DeleteOptions =
    typeof opts.gracePeriodSeconds === 'number'
      ? { gracePeriodSeconds: opts.gracePeriodSeconds }
      : {};
  const phase = pod.status?.phase;
  if (pod.metadata.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed') {
    store.delete(RESOURCES.pods, namespace, name, deleteOptions);
    return;
  }
  const pods = listShared<Pod>(store, RESOURCES.pods, { namespace });
  const pdbs = store
    .list(PDBS, { namespace })
    .items.filter((pdb) => podsCoveredBy(pdb, [pod]).length > 0);
  if (pdbs.length > 1) {
    throw new StatusError(
      500,
      'InternalError',
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      {},
    );
  }
  const pdb = pdbs[0];
  if (pdb) {
    const status = pdbStatus(pdb, podsCoveredBy(pdb, pods), replicasLookup(store, namespace));
    const policy = (pdb['spec'] as { unhealthyPodEvictionPolicy?: string } | undefined)
      ?.unhealthyPodEvictionPolicy;
    const unhealthyMayGo =
      !isPodReady(pod) &&
      (policy === 'AlwaysAllow' || status.currentHealthy >= status.desiredHealthy);
    if (!unhealthyMayGo && status.disruptionsAllowed <= 0) {
      throw tooManyRequests(
        "Cannot evict pod as it would violate the pod's disruption budget.",
        `The disruption budget ${pdb.metadata.name ?? ''} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`,
      );
    }
  }
  store.delete(RESOURCES.pods, namespace, name, deleteOptions);
}
