import type { ScalableModel } from '@bascule/autoscaler';
import { queuedDemand, type QueueContext } from '@bascule/queue';
import type { Route } from '@bascule/spec';

/**
 * The autoscaler's `queuedJobs` for a Model: async and batch jobs queued for the Model itself plus
 * those queued for each Route (same namespace) whose first self-hosted target is the Model, as
 * docs/autoscaling.md counts them. `routes` is read at every call (the gateway role's watch when
 * it runs in this process; without it only the Model's own queue counts).
 */
export function queuedJobsDemand(
  ctx: QueueContext,
  routes: () => readonly Route[] | undefined,
): (model: ScalableModel) => Promise<number> {
  return async (m) => {
    const targets = [m.ref.name];
    for (const r of routes() ?? []) {
      if ((r.metadata.namespace ?? m.ref.namespace) !== m.ref.namespace) continue;
      const first = r.spec.targets.find((t) => t.provider === undefined);
      if (first?.model === m.ref.name) targets.push(r.metadata.name);
    }
    const counts = await Promise.all(targets.map((t) => queuedDemand(ctx, t)));
    return counts.reduce((a, b) => a + b, 0);
  };
}
