import type { ModelStatus } from '@bascule/spec';
import type { ConditionBody } from './capacity-condition.js';
import { findCondition } from './upsert-condition.js';
import type { PodFacts } from './pod-facts.js';

const CRASH_REASONS = new Set(['CrashLoopBackOff', 'RunContainerError', 'CreateContainerError']);
const PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName']);

export interface RuntimeInput {
  desired: number;
  ready: number;
  /** The live Deployment runs the desired template and has no rollout in progress. */
  settled: boolean;
  pods: readonly PodFacts[];
  previous?: ModelStatus;
  capacity: ConditionBody;
  startupTimeoutSeconds: number;
}

const live = (pods: readonly PodFacts[]) => pods.filter((p) => !p.terminating);

/** Ready: True while at least one replica serves; otherwise the most useful reason why not. */
export function readyCondition(input: RuntimeInput): ConditionBody {
  const { desired, ready } = input;
  const pods = live(input.pods);
  if (ready > 0) {
    return {
      type: 'Ready',
      status: 'True',
      reason: 'Serving',
      message: `${ready}/${desired} replicas ready`,
    };
  }
  const no = (reason: string, message: string): ConditionBody => ({
    type: 'Ready',
    status: 'False',
    reason,
    message,
  });
  if (desired === 0) {
    return no(
      'ScaledToZero',
      'spec.replicas is 0: the autoscaler starts a replica when requests arrive (or run kubectl scale model/<name> --replicas=1)',
    );
  }
  if (input.capacity.status === 'False')
    return no(input.capacity.reason ?? 'Unschedulable', input.capacity.message ?? '');
  const pull = pods.find((p) => p.waitingReason && PULL_REASONS.has(p.waitingReason));
  if (pull) {
    return no(
      'ImagePullError',
      `pod ${pull.name} cannot pull its image (${pull.waitingReason}${pull.waitingMessage ? `: ${pull.waitingMessage}` : ''}); check spec.image and registry access`,
    );
  }
  const crash = pods.find((p) => p.waitingReason && CRASH_REASONS.has(p.waitingReason));
  if (crash) {
    return no(
      'EngineCrashLooping',
      `the engine in pod ${crash.name} keeps failing (${crash.restarts} restarts${crash.lastExit ? `, last ${crash.lastExit}` : ''}); see kubectl logs pod/${crash.name} -c engine --previous`,
    );
  }
  const loading = pods.filter((p) => p.running && !p.ready);
  if (loading.length > 0) {
    return no(
      'Loading',
      `${loading.length} replica(s) loading the model; the startup probe allows ${input.startupTimeoutSeconds}s`,
    );
  }
  const starting = pods.filter((p) => p.node && !p.running);
  if (starting.length > 0) {
    return no('Starting', `${starting.length} replica(s) pulling the image or starting the engine`);
  }
  return no('Pending', 'waiting for the Deployment to create and schedule pods');
}

/**
 * Degraded: True when replicas fail at run time: crash loops, pods on NotReady nodes, failed
 * pods, or fewer ready replicas than before with nothing rolling out (a lost node, an evicted
 * pod). It stays True until every desired replica is ready again.
 */
export function degradedCondition(input: RuntimeInput): ConditionBody {
  const { desired, ready } = input;
  const pods = live(input.pods);
  const yes = (reason: string, message: string): ConditionBody => ({
    type: 'Degraded',
    status: 'True',
    reason,
    message,
  });
  if (desired > 0 && ready < desired) {
    const crash = pods.find((p) => p.waitingReason && CRASH_REASONS.has(p.waitingReason));
    if (crash) {
      return yes(
        'EngineCrashLooping',
        `the engine in pod ${crash.name} keeps failing (${crash.restarts} restarts${crash.lastExit ? `, last ${crash.lastExit}` : ''}); see kubectl logs pod/${crash.name} -c engine --previous`,
      );
    }
    const lostNode = pods.find((p) => p.nodeNotReady);
    if (lostNode) {
      return yes(
        'NodeNotReady',
        `pod ${lostNode.name} is on node ${lostNode.node}, which is NotReady; its replica is replaced elsewhere when capacity allows`,
      );
    }
    const failed = pods.find((p) => p.phase === 'Failed');
    if (failed) {
      return yes(
        'PodFailed',
        `pod ${failed.name} failed${failed.lastExit ? ` (${failed.lastExit})` : ''}`,
      );
    }
    const prev = input.previous;
    const prevReplicas = prev?.replicas;
    const wasHealthy =
      prevReplicas !== undefined &&
      prevReplicas.desired === desired &&
      prevReplicas.ready >= prevReplicas.desired;
    const wasDegraded = findCondition(prev?.conditions, 'Degraded')?.status === 'True';
    if (input.settled && (wasHealthy || wasDegraded)) {
      return yes(
        'ReplicasUnavailable',
        `${ready}/${desired} replicas ready after serving with all of them; replacements are starting${input.capacity.status === 'False' ? ` but ${input.capacity.reason}` : ''}`,
      );
    }
  }
  return {
    type: 'Degraded',
    status: 'False',
    reason: 'AsExpected',
    message: 'no replica is failing',
  };
}
