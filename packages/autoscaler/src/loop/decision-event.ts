import type { ScaleDecision } from '../policy/scale-decision.js';
import type { DecisionEvent } from './autoscaler-ports.js';

/** The Kubernetes Event for a decision that changed the replica count, or undefined. */
export function scaleEventFor(d: ScaleDecision): DecisionEvent | undefined {
  if (d.desired === d.current) return undefined;
  const reason =
    d.desired === 0
      ? 'ScaledToZero'
      : d.current === 0
        ? 'ScaledFromZero'
        : d.desired > d.current
          ? 'ScaledUp'
          : 'ScaledDown';
  return { type: 'Normal', reason, message: `${d.reason}: ${d.message}` };
}

/** The Warning Event for a capacity shortfall. */
export function shortfallEventFor(d: ScaleDecision): DecisionEvent | undefined {
  const s = d.shortfall;
  if (!s) return undefined;
  return {
    type: 'Warning',
    reason: 'CapacityShortfall',
    message: `wanted ${d.wanted} replica(s), ${d.desired} fit: ${s.replicas} more would need ${s.gpus} ${s.gpuType} GPU(s) beyond the ${s.freeGpus} free; the gateway overflows meanwhile`,
  };
}
