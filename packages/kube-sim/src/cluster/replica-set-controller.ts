// The ReplicaSet controller: creates and deletes pods to match spec.replicas (pods from the
// template, owned by the ReplicaSet) and keeps status counts (replicas, ready, available).
import { listShared } from './shared-reads.js';
import type { KubeObject, ObjectStore } from '../store/types.js';
import type { EventRecorder } from './event-recorder.js';
import { controllerOf, isPodActive, RESOURCES, type Pod, type ReplicaSet } from './kube-types.js';
import { planReplicaSet, replicaSetStatus } from './plan-replica-set.js';
import { stableStringify } from './pod-template-hash.js';
import type { TimeScale } from './time-scale.js';
import { ownerKindLoop, type OwnerKindLoop } from './owner-kind-loop.js';
import { splitKey } from './work-queue.js';

const SOURCE = { component: 'replicaset-controller' };

export class ReplicaSetController {
  private readonly loop: OwnerKindLoop;

  constructor(
    private readonly store: ObjectStore,
    private readonly recorder: EventRecorder,
    private readonly time: TimeScale,
  ) {
    this.loop = ownerKindLoop(store, {
      name: 'replicaset',
      owner: { ref: RESOURCES.replicaSets, kind: 'ReplicaSet' },
      owned: RESOURCES.pods,
      reconcile: (key) => this.reconcile(key),
    });
  }

  start(): void {
    this.loop.start();
  }

  close(): void {
    this.loop.close();
  }

  private reconcile(key: string): { requeueAfterMs?: number } | void {
    const { namespace, name } = splitKey(key);
    const rs = this.store.get(RESOURCES.replicaSets, namespace, name) as ReplicaSet | undefined;
    if (!rs || rs.metadata.deletionTimestamp) return;
    const owned = listShared<Pod>(this.store, RESOURCES.pods, { namespace }).filter(
      (p) => controllerOf(p)?.uid === rs.metadata.uid,
    );
    const active = owned.filter(isPodActive);
    const plan = planReplicaSet(rs.spec.replicas ?? 1, active);
    let failedCreate = false;
    for (let i = 0; i < plan.create; i++) {
      const pod = this.createPod(rs);
      if (pod) active.push(pod);
      else failedCreate = true;
    }
    for (const pod of plan.remove) {
      try {
        this.store.delete(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name);
        this.recorder.record(
          rs,
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${pod.metadata.name}`,
          SOURCE,
        );
      } catch {
        // already gone
      }
    }
    const remaining = active.filter((p) => !plan.remove.includes(p));
    const minReadyMs = this.time.ms(rs.spec.minReadySeconds ?? 0);
    const status = replicaSetStatus(rs, remaining, minReadyMs, Date.now());
    if (stableStringify(status) !== stableStringify(rs.status ?? {})) {
      const fresh = this.store.get(RESOURCES.replicaSets, namespace, name);
      if (fresh) {
        fresh.status = status;
        this.store.update(RESOURCES.replicaSets, fresh, { subresource: 'status' });
      }
    }
    // A refused create (e.g. its ServiceAccount does not exist yet) is retried, as the
    // ReplicaSet controller's rate-limited queue does.
    if (failedCreate) return { requeueAfterMs: Math.min(5000, Math.max(100, this.time.ms(5))) };
    if (minReadyMs > 0 && status.readyReplicas !== status.availableReplicas)
      return { requeueAfterMs: Math.min(minReadyMs, 1000) };
  }

  private createPod(rs: ReplicaSet): Pod | undefined {
    const template = rs.spec.template;
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        labels: { ...(template.metadata?.labels ?? {}) },
        annotations: { ...(template.metadata?.annotations ?? {}) },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: rs.metadata.name,
            uid: rs.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: structuredClone(template.spec),
    };
    if (Object.keys(pod.metadata.annotations ?? {}).length === 0) delete pod.metadata.annotations;
    try {
      const created = this.store.create(RESOURCES.pods, pod) as Pod;
      this.recorder.record(
        rs,
        'Normal',
        'SuccessfulCreate',
        `Created pod: ${created.metadata.name}`,
        SOURCE,
      );
      return created;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.recorder.record(rs, 'Warning', 'FailedCreate', `Error creating: ${message}`, SOURCE);
      return undefined;
    }
  }
}
