// The disruption controller: keeps each PodDisruptionBudget's status (expectedPods,
// desiredHealthy, currentHealthy, disruptionsAllowed, the DisruptionAllowed condition) up to
// date as its pods come, go and turn ready, so `kubectl get pdb` shows ALLOWED DISRUPTIONS.
// The Eviction API computes the budget afresh itself (evict-pod.ts).
import type { KubeObject, ObjectStore } from '../store/types.js';
import { replicasLookup, PDBS } from './evict-pod.js';
import { kubeTime } from './kube-time.js';
import { RESOURCES, type Pod } from './kube-types.js';
import { pdbStatus, podsCoveredBy } from './pdb-status.js';
import { stableStringify } from './pod-template-hash.js';
import { listShared, watchShared } from './shared-reads.js';
import { createWorkQueue, type WorkQueue } from './work-queue.js';

export class DisruptionController {
  private readonly queue: WorkQueue;
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly store: ObjectStore,
    private readonly now: () => Date,
  ) {
    this.queue = createWorkQueue({ name: 'disruption', reconcile: (ns) => this.reconcile(ns) });
  }

  start(): void {
    const enqueue = (o: KubeObject) => this.queue.add(o.metadata.namespace ?? '');
    this.stops.push(
      watchShared(this.store, PDBS, (e) => enqueue(e.object)),
      watchShared(this.store, RESOURCES.pods, (e) => enqueue(e.object)),
    );
    for (const pdb of this.store.list(PDBS).items) enqueue(pdb);
  }

  close(): void {
    for (const stop of this.stops) stop();
    this.queue.close();
  }

  private reconcile(namespace: string): void {
    const pdbs = this.store.list(PDBS, { namespace }).items;
    if (pdbs.length === 0) return;
    const pods = listShared<Pod>(this.store, RESOURCES.pods, { namespace });
    for (const pdb of pdbs) {
      if (pdb.metadata.deletionTimestamp) continue;
      const s = pdbStatus(pdb, podsCoveredBy(pdb, pods), replicasLookup(this.store, namespace));
      const old = (pdb['status'] ?? {}) as Record<string, unknown> & {
        conditions?: { status?: string; lastTransitionTime?: string }[];
      };
      const allowed = s.disruptionsAllowed > 0 ? 'True' : 'False';
      const prev = old.conditions?.[0];
      const status = {
        observedGeneration: pdb.metadata.generation ?? 1,
        ...s,
        conditions: [
          {
            type: 'DisruptionAllowed',
            status: allowed,
            reason: allowed === 'True' ? 'SufficientPods' : 'InsufficientPods',
            message: '',
            observedGeneration: pdb.metadata.generation ?? 1,
            lastTransitionTime:
              prev?.status === allowed && prev.lastTransitionTime
                ? prev.lastTransitionTime
                : kubeTime(this.now()),
          },
        ],
      };
      if (stableStringify(status) === stableStringify(old)) continue;
      try {
        this.store.update(PDBS, { ...pdb, status }, { subresource: 'status' });
      } catch {
        // Changed or deleted meanwhile: the watch brings it back here.
      }
    }
  }
}
