// The Deployment controller: finds or creates the ReplicaSet of the current pod template
// (named <deployment>-<pod-template-hash>), steps rollouts with planRollout, writes status with
// computeDeploymentStatus, and trims old ReplicaSets past revisionHistoryLimit.
import { listShared } from './shared-reads.js';
import type { KubeObject, ObjectStore } from '../store/types.js';
import { computeDeploymentStatus, type RsCounts } from './deployment-status.js';
import type { EventRecorder } from './event-recorder.js';
import { controllerOf, RESOURCES, type Deployment, type ReplicaSet } from './kube-types.js';
import { planRollout } from './plan-rollout.js';
import { podTemplateHash, stableStringify, templatesEqual } from './pod-template-hash.js';
import type { TimeScale } from './time-scale.js';
import { ownerKindLoop, type OwnerKindLoop } from './owner-kind-loop.js';
import { splitKey } from './work-queue.js';

const SOURCE = { component: 'deployment-controller' };
const REVISION = 'deployment.kubernetes.io/revision';

function revisionOf(rs: KubeObject): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
}

function counts(rs: ReplicaSet): RsCounts {
  return {
    name: rs.metadata.name,
    specReplicas: rs.spec.replicas ?? 0,
    replicas: rs.status?.replicas ?? 0,
    readyReplicas: rs.status?.readyReplicas ?? 0,
    availableReplicas: rs.status?.availableReplicas ?? 0,
  };
}

export class DeploymentController {
  private readonly loop: OwnerKindLoop;

  constructor(
    private readonly store: ObjectStore,
    private readonly recorder: EventRecorder,
    private readonly time: TimeScale,
    private readonly now: () => Date,
  ) {
    this.loop = ownerKindLoop(store, {
      name: 'deployment',
      owner: { ref: RESOURCES.deployments, kind: 'Deployment' },
      owned: RESOURCES.replicaSets,
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
    const dep = this.store.get(RESOURCES.deployments, namespace, name) as Deployment | undefined;
    if (!dep || dep.metadata.deletionTimestamp) return;
    const replicas = dep.spec.replicas ?? 1;
    const owned = listShared<ReplicaSet>(this.store, RESOURCES.replicaSets, { namespace })
      .filter((rs) => controllerOf(rs)?.uid === dep.metadata.uid)
      .sort((a, b) =>
        (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
      );
    const maxRevision = owned.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    let newRs = owned.find((rs) => templatesEqual(rs.spec.template, dep.spec.template));
    let newRsEvent: 'created' | 'found' | undefined;
    if (!newRs) {
      newRs = this.createReplicaSet(dep, owned, maxRevision + 1);
      if (!newRs) return { requeueAfterMs: 100 };
      newRsEvent = 'created';
    } else if (revisionOf(newRs) < maxRevision) {
      newRs = this.annotateRevision(newRs, maxRevision + 1); // a rollback to an older template
    } else if (!dep.status?.conditions?.some((c) => c.type === 'Progressing')) {
      newRsEvent = 'found';
    }
    const newUid = newRs.metadata.uid;
    const oldRss = owned.filter((rs) => rs.metadata.uid !== newUid);
    const strategy = dep.spec.strategy?.type ?? 'RollingUpdate';
    const rolling = dep.spec.strategy?.rollingUpdate ?? {};
    const state = (rs: ReplicaSet) => ({
      name: rs.metadata.name,
      replicas: rs.spec.replicas ?? 0,
      current: rs.status?.replicas ?? 0,
      available: rs.status?.availableReplicas ?? 0,
      createdAt: rs.metadata.creationTimestamp ?? '',
    });
    const plan = planRollout({
      replicas,
      strategy,
      maxSurge: rolling.maxSurge,
      maxUnavailable: rolling.maxUnavailable,
      newRs: state(newRs),
      oldRss: oldRss.map(state),
      paused: dep.spec.paused,
    });
    const all = [newRs, ...oldRss];
    for (const [rsName, target] of plan) {
      const rs = all.find((r) => r.metadata.name === rsName);
      if (!rs) continue;
      const scaled = this.scale(dep, rs, target, replicas);
      all[all.indexOf(rs)] = scaled;
      if (rs === newRs) newRs = scaled;
    }
    const currentNew = all[0] ?? newRs;
    const currentOld = all.slice(1);
    this.cleanup(dep, currentOld);
    const status = computeDeploymentStatus({
      generation: dep.metadata.generation ?? 1,
      replicas,
      strategy,
      maxSurge: rolling.maxSurge,
      maxUnavailable: rolling.maxUnavailable,
      progressDeadlineSeconds: dep.spec.progressDeadlineSeconds ?? 600,
      newRs: counts(currentNew),
      oldRss: currentOld.map(counts),
      newRsEvent,
      progressed: plan.size > 0,
      previous: dep.status,
      now: this.now(),
      msPerSecond: this.time.ms(1),
    });
    const { conditions: _c, ...rest } = dep.status ?? {};
    const { conditions: _n, ...restNew } = status;
    if (
      stableStringify(dep.status?.conditions ?? []) !== stableStringify(status.conditions) ||
      stableStringify(rest) !== stableStringify(restNew)
    ) {
      const fresh = this.store.get(RESOURCES.deployments, namespace, name);
      if (fresh) {
        fresh.status = { ...status };
        this.store.update(RESOURCES.deployments, fresh, { subresource: 'status' });
      }
    }
    const progressing = status.conditions.find((c) => c.type === 'Progressing');
    if (progressing?.status === 'True' && progressing.reason !== 'NewReplicaSetAvailable') {
      return { requeueAfterMs: this.time.ms(dep.spec.progressDeadlineSeconds ?? 600) + 50 };
    }
  }

  private createReplicaSet(
    dep: Deployment,
    owned: ReplicaSet[],
    revision: number,
  ): ReplicaSet | undefined {
    let collisionCount = Number(dep.status?.collisionCount ?? 0);
    for (let attempt = 0; attempt < 5; attempt++, collisionCount++) {
      const hash = podTemplateHash(dep.spec.template, collisionCount);
      const template = structuredClone(dep.spec.template);
      template.metadata = {
        ...(template.metadata ?? {}),
        labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash },
      };
      const selector = structuredClone(dep.spec.selector);
      selector.matchLabels = { ...(selector.matchLabels ?? {}), 'pod-template-hash': hash };
      const rsName = `${dep.metadata.name}-${hash}`;
      const existing = this.store.get(RESOURCES.replicaSets, dep.metadata.namespace, rsName);
      if (existing) {
        if (owned.some((rs) => rs.metadata.uid === existing.metadata.uid))
          return existing as ReplicaSet;
        continue; // hash collision with someone else's ReplicaSet
      }
      const rs: KubeObject = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: rsName,
          namespace: dep.metadata.namespace,
          labels: { ...(template.metadata.labels ?? {}) },
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(dep.spec.replicas ?? 1),
            'deployment.kubernetes.io/max-replicas': String((dep.spec.replicas ?? 1) + 1),
            [REVISION]: String(revision),
          },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: dep.metadata.name,
              uid: dep.metadata.uid ?? '',
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas: 0,
          minReadySeconds: dep.spec.minReadySeconds ?? 0,
          selector,
          template,
        },
      };
      try {
        const created = this.store.create(RESOURCES.replicaSets, rs) as ReplicaSet;
        this.annotateDeploymentRevision(dep, revision);
        return created;
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  private annotateRevision(rs: ReplicaSet, revision: number): ReplicaSet {
    const fresh = this.store.get(RESOURCES.replicaSets, rs.metadata.namespace, rs.metadata.name);
    if (!fresh) return rs;
    fresh.metadata.annotations = {
      ...(fresh.metadata.annotations ?? {}),
      [REVISION]: String(revision),
    };
    const updated = this.store.update(RESOURCES.replicaSets, fresh) as ReplicaSet;
    const dep = this.store.get(
      RESOURCES.deployments,
      rs.metadata.namespace,
      controllerOf(rs)?.name ?? '',
    );
    if (dep) this.annotateDeploymentRevision(dep as Deployment, revision);
    return updated;
  }

  private annotateDeploymentRevision(dep: Deployment, revision: number): void {
    const fresh = this.store.get(RESOURCES.deployments, dep.metadata.namespace, dep.metadata.name);
    if (!fresh) return;
    fresh.metadata.annotations = {
      ...(fresh.metadata.annotations ?? {}),
      [REVISION]: String(revision),
    };
    try {
      this.store.update(RESOURCES.deployments, fresh);
    } catch {
      // retried on the next sync
    }
  }

  private scale(dep: Deployment, rs: ReplicaSet, target: number, replicas: number): ReplicaSet {
    const fresh = this.store.get(RESOURCES.replicaSets, rs.metadata.namespace, rs.metadata.name) as
      ReplicaSet | undefined;
    if (!fresh) return rs;
    const from = fresh.spec.replicas ?? 0;
    fresh.spec.replicas = target;
    fresh.metadata.annotations = {
      ...(fresh.metadata.annotations ?? {}),
      'deployment.kubernetes.io/desired-replicas': String(replicas),
      'deployment.kubernetes.io/max-replicas': String(replicas + 1),
    };
    const updated = this.store.update(RESOURCES.replicaSets, fresh) as ReplicaSet;
    const verb = target > from ? 'up' : 'down';
    this.recorder.record(
      dep,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${verb} replica set ${rs.metadata.name} from ${from} to ${target}`,
      SOURCE,
    );
    return updated;
  }

  /** Deletes the oldest empty old ReplicaSets beyond revisionHistoryLimit. */
  private cleanup(dep: Deployment, oldRss: ReplicaSet[]): void {
    const limit = dep.spec.revisionHistoryLimit ?? 10;
    const empty = oldRss.filter(
      (rs) => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0,
    );
    const excess = empty.length - limit;
    for (const rs of empty.slice(0, Math.max(0, excess))) {
      try {
        this.store.delete(RESOURCES.replicaSets, rs.metadata.namespace, rs.metadata.name);
      } catch {
        // gone already
      }
    }
  }
}
