import type { CapacityShortfall } from '@bascule/spec';
import type { ScalingInput } from './scaling-input.js';
import type { ScalingSettings } from './scaling-settings.js';

/**
 * Most replicas the Model can run now: those already holding GPUs plus what free GPUs fit, and
 * never fewer than the current replicas the scheduler has not refused. The pod list and the
 * free-GPU count are read at different moments: a pod bound in between is in neither (not yet
 * scheduled in the list, its GPUs already taken in the count), and reading them as one snapshot
 * would drop a replica that is starting fine. A replica is dropped for want of GPUs only once the
 * scheduler has said so (Unschedulable).
 */
export function replicasThatFit(settings: ScalingSettings, input: ScalingInput): number {
  const per = Math.max(1, settings.gpusPerReplica);
  const free = input.scheduledReplicas + Math.floor(Math.max(0, input.freeGpus) / per);
  return Math.max(free, input.currentReplicas - (input.unschedulableReplicas ?? 0));
}

/**
 * Caps `wanted` to the replicas free GPUs can hold (never below minReplicas, which is the
 * user's floor) and describes what is missing, so the controller can mark the Model
 * CapacityAvailable=False and the gateway overflows instead of waiting for pods that cannot
 * start. Replicas the scheduler cannot place (they lost their GPUs, or never had them) are
 * dropped the same way.
 */
export function capToFreeGpus(
  settings: ScalingSettings,
  input: ScalingInput,
  wanted: number,
): { desired: number; shortfall?: CapacityShortfall } {
  const fit = replicasThatFit(settings, input);
  if (wanted <= fit) return { desired: wanted };
  const desired = Math.max(fit, settings.minReplicas);
  const short = wanted - fit;
  return {
    desired,
    shortfall: {
      replicas: short,
      gpus: short * settings.gpusPerReplica,
      gpuType: settings.gpuType,
      freeGpus: input.freeGpus,
    },
  };
}
