import type { CapacityShortfall } from '@bascule/spec';
import type { Condition } from '@bascule/spec';
import { capacityOf, type GpuCapacity } from '../capacity/gpu-capacity.js';
import type { PodFacts } from './pod-facts.js';

export type ConditionBody = Omit<Condition, 'lastTransitionTime' | 'observedGeneration'>;

export interface CapacityInput {
  gpuType: string;
  gpuCount: number;
  desired: number;
  pods: readonly PodFacts[];
  capacity: GpuCapacity;
  /**
   * Replicas the autoscaler wanted but capped because free GPUs cannot hold them (from the
   * Model's `autoscaling.bascule.dev/capacity-shortfall` annotation); absent when none.
   */
  shortfall?: CapacityShortfall;
}

/** How GPUs of a type stand, in words: "2 of 16 nvidia-h100 GPUs free on 2 nodes (at most 2 on one node)". */
export function describeFree(capacity: GpuCapacity, type: string): string {
  const c = capacityOf(capacity, type);
  if (c.nodes === 0) return `the cluster has no ${type} nodes`;
  return `${c.free} of ${c.allocatable} ${type} GPUs free on ${c.schedulableNodes} schedulable node(s) (at most ${c.largestFreeOnNode} on one node)`;
}

/**
 * CapacityAvailable: False/InsufficientGPU when replicas cannot be scheduled for lack of GPUs
 * (naming the type, GPUs asked and free), NoMatchingNodes when no node carries the type,
 * InsufficientResources when CPU or memory is short, InsufficientGPU too when the autoscaler
 * reports a shortfall (it caps replicas at what free GPUs hold, so no pod is ever Pending for
 * them); True when every replica is scheduled (or, at zero replicas, when one more would fit). True messages carry no counts, so a Model's status
 * does not change every time another Model's pods come and go.
 */
export function capacityCondition(input: CapacityInput): ConditionBody {
  const { gpuType, gpuCount, capacity } = input;
  const c = capacityOf(capacity, gpuType);
  const unschedulable = input.pods.filter((p) => p.unschedulable && !p.terminating);
  const fix = `free ${gpuType} GPUs (scale down or delete another Model) or add ${gpuType} nodes`;
  if (c.nodes === 0) {
    return {
      type: 'CapacityAvailable',
      status: 'False',
      reason: 'NoMatchingNodes',
      message: `no node has ${gpuType} GPUs (spec.gpus asks for ${gpuCount}); add ${gpuType} nodes or change spec.gpus`,
    };
  }
  if (c.largestNode !== undefined && c.largestNode < gpuCount) {
    return {
      type: 'CapacityAvailable',
      status: 'False',
      reason: 'NoMatchingNodes',
      message: `no node has ${gpuCount} ${gpuType} GPUs: a replica needs all ${gpuCount} on one node and the largest ${gpuType} node has ${c.largestNode}; lower spec.gpus or add nodes with ${gpuCount} ${gpuType} GPUs`,
    };
  }
  if (unschedulable.length > 0) {
    const messages = unschedulable.map((p) => p.unschedulable ?? '');
    const gpuShort = messages.some((m) => m.includes('Insufficient nvidia.com/gpu'));
    const otherShort = messages.find((m) => /Insufficient (cpu|memory)/.test(m));
    if (gpuShort || !otherShort) {
      return {
        type: 'CapacityAvailable',
        status: 'False',
        reason: 'InsufficientGPU',
        message: `${unschedulable.length} replica(s) cannot be scheduled: each needs ${gpuCount} ${gpuType} GPU(s) on one node, ${unschedulable.length * gpuCount} asked in all; ${describeFree(capacity, gpuType)}. To fix: ${fix}`,
      };
    }
    return {
      type: 'CapacityAvailable',
      status: 'False',
      reason: 'InsufficientResources',
      message: `${unschedulable.length} replica(s) cannot be scheduled: ${otherShort}. Lower spec.resources or add nodes`,
    };
  }
  const short = input.shortfall;
  if (short && short.replicas > 0 && short.gpuType === gpuType) {
    return {
      type: 'CapacityAvailable',
      status: 'False',
      reason: 'InsufficientGPU',
      message: `the autoscaler wants ${short.replicas} more replica(s) than free GPUs allow (${input.desired} planned): ${short.gpus} ${gpuType} GPU(s) short, ${short.freeGpus} free; ${describeFree(capacity, gpuType)}. To fix: ${fix}`,
    };
  }
  if (input.desired === 0) {
    return c.largestFreeOnNode >= gpuCount
      ? {
          type: 'CapacityAvailable',
          status: 'True',
          reason: 'GPUsAvailable',
          message: `a replica (${gpuCount} ${gpuType} GPU(s)) would fit now`,
        }
      : {
          type: 'CapacityAvailable',
          status: 'False',
          reason: 'InsufficientGPU',
          message: `starting a replica needs ${gpuCount} ${gpuType} GPU(s) on one node; ${describeFree(capacity, gpuType)}. To fix: ${fix}`,
        };
  }
  return {
    type: 'CapacityAvailable',
    status: 'True',
    reason: 'GPUsAvailable',
    message: `every replica is scheduled on ${gpuType} nodes`,
  };
}
