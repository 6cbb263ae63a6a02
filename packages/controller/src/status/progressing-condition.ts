import type { V1Deployment } from '@kubernetes/client-node';
import { TEMPLATE_HASH_ANNOTATION } from '@bascule/spec';
import type { ConditionBody } from './capacity-condition.js';
import type { PodFacts } from './pod-facts.js';

export interface ProgressInput {
  deployment?: V1Deployment;
  desiredHash: string;
  desired: number;
  ready: number;
  pods: readonly PodFacts[];
}

/** Progressing: True while the Deployment is created, rolled out or scaled; False once settled or stuck. */
export function progressingCondition(input: ProgressInput): ConditionBody {
  const { deployment, desired, ready } = input;
  const yes = (reason: string, message: string): ConditionBody => ({
    type: 'Progressing',
    status: 'True',
    reason,
    message,
  });
  if (!deployment) return yes('Creating', 'creating the engine Deployment and Service');
  if (deployment.metadata?.annotations?.[TEMPLATE_HASH_ANNOTATION] !== input.desiredHash) {
    return yes('RollingOut', 'rolling out the changed spec');
  }
  const stuck = deployment.status?.conditions?.find(
    (c) =>
      c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded',
  );
  if (stuck) {
    return {
      type: 'Progressing',
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `the rollout made no progress in time: ${stuck.message ?? ''}; check the pods' events`,
    };
  }
  const pods = input.pods.filter((p) => !p.terminating);
  const outdated = pods.filter(
    (p) => p.templateHash !== undefined && p.templateHash !== input.desiredHash,
  );
  if (outdated.length > 0) {
    return yes(
      'RollingOut',
      `${pods.length - outdated.length}/${desired} replicas run the current spec`,
    );
  }
  if (ready < desired) return yes('ScalingUp', `${ready}/${desired} replicas ready`);
  if (pods.length > desired)
    return yes('ScalingDown', `${pods.length} pods running, ${desired} desired`);
  return {
    type: 'Progressing',
    status: 'False',
    reason: 'RolloutComplete',
    message: desired === 0 ? 'scaled to zero' : `all ${desired} replicas ready and up to date`,
  };
}
