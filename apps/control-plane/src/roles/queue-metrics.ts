import { BatchLineRate, type QueueDepth } from '@bascule/queue';
import { Gauge, type Registry } from 'prom-client';

/**
 * The worker's queue metrics (docs/operations.md#queue): depth by state and the age of the oldest
 * waiting job per target queue (read from Redis at scrape time), and lines/s per batch (this
 * worker's, over the last minute; at most 50 batches). Labels stay bounded: targets are Routes and
 * Models, batches only the recently active ones.
 */
export function registerQueueMetrics(
  registry: Registry,
  /** The target queues now (readQueueDepths over the worker's QueueContext). */
  read: (now: number) => Promise<QueueDepth[]>,
  onError: (err: unknown) => void,
): BatchLineRate {
  const rate = new BatchLineRate();
  const depth = new Gauge({
    name: 'bascule_queue_depth',
    help: 'Jobs and batch lines in a target queue, by state (wait, prioritized, delayed, active).',
    labelNames: ['target', 'state'],
    registers: [registry],
    async collect() {
      try {
        const now = Date.now();
        const rows = await read(now);
        depth.reset();
        oldest.reset();
        for (const r of rows) {
          for (const [state, n] of Object.entries(r.counts))
            depth.set({ target: r.target, state }, n);
          oldest.set({ target: r.target }, r.oldestAgeS);
        }
      } catch (err) {
        onError(err);
      }
    },
  });
  const oldest = new Gauge({
    name: 'bascule_queue_oldest_job_age_seconds',
    help: 'Age of the oldest job or batch line not yet running, per target queue.',
    labelNames: ['target'],
    registers: [registry],
  });
  const lines = new Gauge({
    name: 'bascule_queue_batch_lines_per_second',
    help: 'Batch lines this worker finished per second over the last minute, per batch.',
    labelNames: ['batch'],
    registers: [registry],
    collect() {
      lines.reset();
      for (const [batch, r] of rate.rates()) lines.set({ batch }, r);
    },
  });
  return rate;
}
