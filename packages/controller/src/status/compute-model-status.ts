import type { V1Deployment } from '@kubernetes/client-node';
import {
  MODEL_LABEL,
  TEMPLATE_HASH_ANNOTATION,
  type CapacityShortfall,
  type Condition,
  type ModelStatus,
} from '@bascule/spec';
import type { GpuCapacity } from '../capacity/gpu-capacity.js';
import { capacityCondition, type ConditionBody } from './capacity-condition.js';
import { modelEndpoints } from './model-endpoints.js';
import type { PodFacts } from './pod-facts.js';
import { progressingCondition } from './progressing-condition.js';
import { degradedCondition, readyCondition } from './runtime-conditions.js';
import { upsertCondition } from './upsert-condition.js';

/** A Model that cannot be rendered: the reason and message go into its conditions. */
export interface SpecProblem {
  reason: string;
  message: string;
}

export interface StatusInput {
  name: string;
  generation: number;
  previous?: ModelStatus;
  /** Desired replicas (spec.replicas, else autoscaling.minReplicas). */
  desired: number;
  gpuType?: string;
  gpuCount?: number;
  /** Hash of the desired pod template; absent when the spec cannot be rendered. */
  desiredHash?: string;
  problem?: SpecProblem;
  deployment?: V1Deployment;
  pods: readonly PodFacts[];
  capacity: GpuCapacity;
  /** Capacity shortfall the autoscaler reported on the Model, if any. */
  shortfall?: CapacityShortfall;
  startupTimeoutSeconds: number;
  now: Date;
}

/** The whole status of a Model from what the controller observed (pure). */
export function computeModelStatus(input: StatusInput): ModelStatus {
  const endpoints = modelEndpoints(input.pods);
  const ready = endpoints.filter((e) => e.ready).length;
  const { desired } = input;
  let bodies: ConditionBody[];
  if (input.problem || input.desiredHash === undefined) {
    const { reason, message } = input.problem ?? { reason: 'InvalidSpec', message: 'invalid spec' };
    bodies = [
      ready > 0
        ? {
            type: 'Ready',
            status: 'True',
            reason: 'Serving',
            message: `${ready} replica(s) of the previous spec ready; the current spec cannot be applied: ${message}`,
          }
        : { type: 'Ready', status: 'False', reason, message },
      { type: 'Progressing', status: 'False', reason, message },
      { type: 'Degraded', status: ready > 0 ? 'True' : 'False', reason, message },
      { type: 'CapacityAvailable', status: 'Unknown', reason, message },
    ];
  } else {
    const capacityInput = {
      gpuType: input.gpuType ?? '',
      gpuCount: input.gpuCount ?? 0,
      desired,
      pods: input.pods,
      capacity: input.capacity,
    };
    // Ready and Degraded speak of the planned replicas; CapacityAvailable also of those the
    // autoscaler wanted but capped (its shortfall), so the gateway overflows instead of waiting.
    const planned = capacityCondition(capacityInput);
    const capacity = input.shortfall
      ? capacityCondition({ ...capacityInput, shortfall: input.shortfall })
      : planned;
    const deployment = input.deployment;
    const settled =
      deployment !== undefined &&
      deployment.metadata?.annotations?.[TEMPLATE_HASH_ANNOTATION] === input.desiredHash &&
      deployment.spec?.replicas === desired;
    const runtime = {
      desired,
      ready,
      settled,
      pods: input.pods,
      ...(input.previous ? { previous: input.previous } : {}),
      capacity: planned,
      startupTimeoutSeconds: input.startupTimeoutSeconds,
    };
    bodies = [
      readyCondition(runtime),
      progressingCondition({
        ...(deployment ? { deployment } : {}),
        desiredHash: input.desiredHash,
        desired,
        ready,
        pods: input.pods,
      }),
      degradedCondition(runtime),
      capacity,
    ];
  }
  let conditions: Condition[] = input.previous?.conditions ?? [];
  for (const body of bodies) {
    conditions = upsertCondition(
      conditions,
      { ...body, observedGeneration: input.generation },
      input.now,
    );
  }
  return {
    observedGeneration: input.generation,
    conditions,
    replicas: { desired, ready },
    selector: `${MODEL_LABEL}=${input.name}`,
    endpoints,
  };
}
