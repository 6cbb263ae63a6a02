// Graceful deletion, as the API server's pod strategy decides it: a Pod bound to a node and not
// finished gets deletionTimestamp = now + grace and deletionGracePeriodSeconds = grace, and stays
// (Terminating) until its kubelet has stopped its containers and deletes it with grace 0. The
// grace is the request's gracePeriodSeconds, else spec.terminationGracePeriodSeconds (default 30).
// An unbound or finished Pod, and every other kind, is deleted at once (grace 0).
import type { ResourceType } from './resource-type.js';
import type { KubeObject } from './types.js';

export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;

/** The grace period a delete gets (pure); 0 means remove now. */
export function gracePeriodFor(
  type: ResourceType,
  object: KubeObject,
  requested: number | undefined,
): number {
  if (type.group !== '' || type.resource !== 'pods') return 0;
  const spec = (object['spec'] ?? {}) as {
    nodeName?: string;
    terminationGracePeriodSeconds?: number;
  };
  const phase = ((object['status'] ?? {}) as { phase?: string }).phase;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  const grace =
    requested ?? spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
  return Number.isFinite(grace) && grace > 0 ? Math.floor(grace) : 0;
}
