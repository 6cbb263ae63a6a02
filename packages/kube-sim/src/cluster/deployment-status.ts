// A Deployment's status from its ReplicaSets (pure), after the deployment controller's
// calculateStatus and syncRolloutStatus: counts, observedGeneration and the Available and
// Progressing conditions with the real reasons and messages, so `kubectl rollout status` and
// `kubectl wait --for=condition=Available` behave as against a real cluster.
import { kubeTime } from './kube-time.js';
import type { Condition } from './kube-types.js';
import { resolveFenceposts } from './plan-rollout.js';

export interface RsCounts {
  name: string;
  specReplicas: number;
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
}

export interface DeploymentStatusInput {
  generation: number;
  replicas: number;
  strategy: 'RollingUpdate' | 'Recreate';
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  progressDeadlineSeconds: number;
  newRs: RsCounts;
  oldRss: RsCounts[];
  /** How the new ReplicaSet came to be in this sync, for the Progressing reason. */
  newRsEvent?: 'created' | 'found';
  /** True when this sync scaled any ReplicaSet (progress was made). */
  progressed: boolean;
  previous: { conditions?: Condition[]; collisionCount?: number } | undefined;
  now: Date;
  /** Real milliseconds per simulated second (1000 / time scale), for the progress deadline. */
  msPerSecond: number;
}

export interface DeploymentStatus {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions: Condition[];
  collisionCount?: number;
}

function setCondition(conditions: Condition[], next: Condition): Condition[] {
  const prev = conditions.find((c) => c.type === next.type);
  const merged: Condition =
    prev && prev.status === next.status
      ? { ...next, lastTransitionTime: prev.lastTransitionTime ?? next.lastTransitionTime }
      : next;
  if (
    prev &&
    prev.status === next.status &&
    prev.reason === next.reason &&
    prev.message === next.message
  ) {
    // Same condition: keep its timestamps (lastUpdateTime moves only when progress is made).
    merged.lastUpdateTime = prev.lastUpdateTime;
  }
  return [...conditions.filter((c) => c.type !== next.type), merged];
}

export function computeDeploymentStatus(input: DeploymentStatusInput): DeploymentStatus {
  const all = [input.newRs, ...input.oldRss];
  const sum = (f: (r: RsCounts) => number) => all.reduce((n, r) => n + f(r), 0);
  const replicas = sum((r) => r.replicas);
  const availableReplicas = sum((r) => r.availableReplicas);
  const status: DeploymentStatus = {
    observedGeneration: input.generation,
    replicas,
    updatedReplicas: input.newRs.replicas,
    readyReplicas: sum((r) => r.readyReplicas),
    availableReplicas,
    unavailableReplicas: Math.max(0, sum((r) => r.specReplicas) - availableReplicas),
    conditions: [],
  };
  if (input.previous?.collisionCount !== undefined)
    status.collisionCount = input.previous.collisionCount;
  const time = kubeTime(input.now);
  let conditions = input.previous?.conditions ?? [];
  const { maxUnavailable } =
    input.strategy === 'Recreate' ? { maxUnavailable: input.replicas } : resolveFenceposts(input);
  const minimum = input.strategy === 'Recreate' ? input.replicas : input.replicas - maxUnavailable;
  conditions = setCondition(
    conditions,
    availableReplicas >= minimum
      ? {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
          lastUpdateTime: time,
          lastTransitionTime: time,
        }
      : {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
          lastUpdateTime: time,
          lastTransitionTime: time,
        },
  );
  const rsName = input.newRs.name;
  const complete =
    status.updatedReplicas === input.replicas &&
    status.replicas === input.replicas &&
    status.availableReplicas === input.replicas &&
    input.newRs.specReplicas === input.replicas;
  const prevProgressing = conditions.find((c) => c.type === 'Progressing');
  let progressing: Condition | undefined;
  if (complete) {
    progressing = {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "${rsName}" has successfully progressed.`,
    };
  } else if (input.newRsEvent === 'created') {
    progressing = {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetCreated',
      message: `Created new replica set "${rsName}"`,
    };
  } else if (
    input.progressed ||
    !prevProgressing ||
    prevProgressing.reason === 'NewReplicaSetAvailable'
  ) {
    progressing = {
      type: 'Progressing',
      status: 'True',
      reason:
        input.newRsEvent === 'found' && !prevProgressing
          ? 'FoundNewReplicaSet'
          : 'ReplicaSetUpdated',
      message:
        input.newRsEvent === 'found' && !prevProgressing
          ? `Found new replica set "${rsName}"`
          : `ReplicaSet "${rsName}" is progressing.`,
    };
  } else if (
    prevProgressing.status === 'True' &&
    prevProgressing.reason !== 'ProgressDeadlineExceeded'
  ) {
    const since = Date.parse(prevProgressing.lastUpdateTime ?? time);
    if (input.now.getTime() - since > input.progressDeadlineSeconds * input.msPerSecond) {
      progressing = {
        type: 'Progressing',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: `ReplicaSet "${rsName}" has timed out progressing.`,
      };
    }
  }
  if (progressing) {
    const stamped = { ...progressing, lastUpdateTime: time, lastTransitionTime: time };
    const sameAsBefore =
      prevProgressing &&
      prevProgressing.status === stamped.status &&
      prevProgressing.reason === stamped.reason &&
      prevProgressing.message === stamped.message;
    // Progress refreshes lastUpdateTime (the deadline counts from the last progress).
    conditions = sameAsBefore && !input.progressed ? conditions : setCondition(conditions, stamped);
    if (sameAsBefore && input.progressed) {
      conditions = conditions.map((c) =>
        c.type === 'Progressing' ? { ...c, lastUpdateTime: time } : c,
      );
    }
  }
  // Kubernetes lists Available before Progressing.
  status.conditions = [...conditions].sort((a, b) => order(a.type) - order(b.type));
  return status;
}

function order(type: string): number {
  return type === 'Available' ? 0 : type === 'Progressing' ? 1 : 2;
}
