import type { Queue } from 'bullmq';
import type { QueueContext } from '../core/queue-context.js';

/**
 * Queued jobs of a Route or Model as autoscaling demand (ScalingInput.queuedJobs): waiting,
 * prioritized, delayed (backing off) and active. Jobs of a Route count toward its first Model.
 */
export async function queuedDemand(ctx: QueueContext, target: string): Promise<number> {
  return countQueued(ctx.queue(target));
}

export async function countQueued(q: Queue): Promise<number> {
  const c = await q.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'waiting-children');
  return Object.values(c).reduce((a, b) => a + b, 0);
}
