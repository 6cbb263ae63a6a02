import { DEFAULT_PREFIX, learnStatsKey } from '@bascule/keyspace';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { SHADOW_QUEUE, type ShadowJob } from '@bascule/router';
import type { Redis } from 'ioredis';
import { BULL_PREFIX } from '../queues/queue-names.js';
import { evaluateShadow, type ShadowDeps, type ShadowOutcome } from './evaluate-shadow.js';

/** Most shadow jobs waiting: past it the gateway drops new ones (learning must not pile up). */
export const MAX_SHADOW_BACKLOG = 1000;

export interface ShadowEnqueuer {
  enqueue(job: ShadowJob): Promise<void>;
  close(): Promise<void>;
}

/** The gateway's side: one BullMQ job per shadowed request (job id = request id). */
export function createShadowEnqueuer(connection: ConnectionOptions): ShadowEnqueuer {
  const queue = new Queue<ShadowJob>(SHADOW_QUEUE, { connection, prefix: BULL_PREFIX });
  let backlog = 0;
  let checked = 0;
  return {
    async enqueue(job) {
      if (Date.now() - checked > 1000) {
        checked = Date.now();
        backlog = await queue.getWaitingCount();
      }
      if (backlog >= MAX_SHADOW_BACKLOG) return;
      backlog++;
      await queue.add('shadow', job, {
        jobId: job.requestId,
        attempts: 1,
        removeOnComplete: 1000,
        removeOnFail: 1000,
      });
    },
    close: () => queue.close(),
  };
}

export interface ShadowWorkerOptions {
  connection: ConnectionOptions;
  deps: ShadowDeps;
  /** Outcome counters per Route go to keyspace learnStatsKey(route) here. */
  redis: Redis;
  prefix?: string;
  /** Evaluations at once (default 1: each one reserves spend, so more only go faster). */
  concurrency?: number;
  onOutcome?: (job: ShadowJob, o: ShadowOutcome) => void;
  onError?: (err: unknown) => void;
}

/** The worker's side: evaluates shadow jobs and counts what came of them per Route. */
export function startShadowWorker(o: ShadowWorkerOptions): { close(): Promise<void> } {
  const prefix = o.prefix ?? DEFAULT_PREFIX;
  const worker = new Worker<ShadowJob, ShadowOutcome>(
    SHADOW_QUEUE,
    async (job) => {
      let out: ShadowOutcome;
      try {
        out = await evaluateShadow(job.data, o.deps);
      } catch (err) {
        await o.redis.hincrby(learnStatsKey(job.data.route, prefix), 'failed', 1);
        throw err;
      }
      const k = learnStatsKey(job.data.route, prefix);
      const p = o.redis.multi();
      if (out.result === 'learned')
        p.hincrby(k, 'learned', 1).hincrby(k, `verdict_${out.verdict}`, 1);
      else p.hincrby(k, `skipped_${out.reason}`, 1);
      await p.exec();
      o.onOutcome?.(job.data, out);
      return out;
    },
    { connection: o.connection, prefix: BULL_PREFIX, concurrency: o.concurrency ?? 1 },
  );
  worker.on('error', (err) => o.onError?.(err));
  worker.on('failed', (_job, err) => o.onError?.(err));
  return { close: () => worker.close() };
}
