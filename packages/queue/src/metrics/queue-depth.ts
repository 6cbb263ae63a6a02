import type { QueueContext } from '../core/queue-context.js';
import { TARGETS_KEY } from '../queues/queue-names.js';

/** One target queue as the metrics show it. */
export interface QueueDepth {
  target: string;
  /** Jobs by BullMQ state: wait, prioritized, delayed (backing off), active. */
  counts: Record<'wait' | 'prioritized' | 'delayed' | 'active', number>;
  /** Age of the oldest job not yet running (seconds), among the first `sample` of each state. */
  oldestAgeS: number;
}

/** Depth and oldest waiting job of every target queue (at most `maxTargets`). */
export async function readQueueDepths(
  ctx: QueueContext,
  now: number,
  { maxTargets = 100, sample = 50 } = {},
): Promise<QueueDepth[]> {
  const targets = (await ctx.redis.smembers(TARGETS_KEY)).sort().slice(0, maxTargets);
  return Promise.all(
    targets.map(async (target) => {
      const q = ctx.queue(target);
      const c = await q.getJobCounts('wait', 'prioritized', 'delayed', 'active');
      const jobs = await q.getJobs(['wait', 'prioritized', 'delayed'], 0, sample - 1, true);
      const oldest = Math.min(...jobs.map((j) => j.timestamp).filter((t) => t > 0), now);
      return {
        target,
        counts: {
          wait: c.wait ?? 0,
          prioritized: c.prioritized ?? 0,
          delayed: c.delayed ?? 0,
          active: c.active ?? 0,
        },
        oldestAgeS: Math.max(0, (now - oldest) / 1000),
      };
    }),
  );
}
