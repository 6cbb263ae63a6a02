import { bullConnection, createRedis, queueFairKey } from '@bascule/keyspace';
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { BatchStore } from '../batches/batch-store.js';
import { FileStore } from '../files/file-store.js';
import { JobStore } from '../jobs/job-store.js';
import { fairPriority } from '../queues/fair-priority.js';
import type { ControlJob, QueuedRequest } from '../queues/job-data.js';
import {
  BULL_PREFIX,
  CONTROL_QUEUE,
  TARGETS_KEY,
  WEBHOOK_QUEUE,
  targetQueueName,
} from '../queues/queue-names.js';
import type { FileStorage } from '../storage/file-storage.js';
import type { WebhookDelivery } from '../webhooks/webhook-delivery.js';

export interface QueueContextOptions {
  /** redis://host:port[/db] or redis+cluster://host:port,host:port (docs/redis.md) */
  redisUrl: string;
  storage: FileStorage;
  /** How long async job results and batch result hashes stay in Redis (default 7 days). */
  resultTtlSeconds?: number;
  /** Attempts per request for retryable failures (default 5). */
  attempts?: number;
  /** First retry delay; doubles each time (default 1 s). */
  backoffMs?: number;
  /** First webhook retry delay; doubles each time, 8 attempts (default 1 s). */
  webhookBackoffMs?: number;
}

/**
 * BullMQ's `connection` for a Redis URL (plain options for one server, a Cluster client for a
 * `redis+cluster://` URL): @bascule/keyspace bullConnection.
 */
export const redisOptions = bullConnection;

/** Redis, storage, stores and queues shared by the API handlers and the workers. */
export class QueueContext {
  readonly redis: Redis;
  readonly connection: ConnectionOptions;
  readonly storage: FileStorage;
  readonly files: FileStore;
  readonly batches: BatchStore;
  readonly jobs: JobStore;
  readonly control: Queue<ControlJob>;
  readonly webhooks: Queue<WebhookDelivery>;
  readonly resultTtlSeconds: number;
  readonly attempts: number;
  readonly backoffMs: number;
  private readonly queues = new Map<string, Queue<QueuedRequest>>();
  private readonly known = new Set<string>();
  private readonly ownBull: Redis | undefined;

  constructor(o: QueueContextOptions) {
    const bull = bullConnection(o.redisUrl);
    this.connection = bull;
    // A cluster's BullMQ connection is a client of its own (see bullConnection): closed here.
    this.ownBull = 'duplicate' in bull ? bull : undefined;
    this.redis = createRedis(o.redisUrl, { maxRetriesPerRequest: null });
    // An outage surfaces as 503s (the HTTP handler's watchdog) and retried jobs, not as
    // ioredis's "Unhandled error event" on stderr once per reconnect attempt.
    this.redis.on('error', () => undefined);
    this.storage = o.storage;
    this.resultTtlSeconds = o.resultTtlSeconds ?? 7 * 86_400;
    this.attempts = o.attempts ?? 5;
    this.backoffMs = o.backoffMs ?? 1000;
    this.files = new FileStore(this.redis);
    this.batches = new BatchStore(this.redis);
    this.jobs = new JobStore(this.redis, this.resultTtlSeconds);
    this.control = new Queue<ControlJob>(CONTROL_QUEUE, {
      connection: this.redis,
      prefix: BULL_PREFIX,
      defaultJobOptions: {
        attempts: 20,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: { age: 86_400 },
        removeOnFail: false,
      },
    });
    this.webhooks = new Queue<WebhookDelivery>(WEBHOOK_QUEUE, {
      connection: this.redis,
      prefix: BULL_PREFIX,
      defaultJobOptions: {
        attempts: 8,
        backoff: { type: 'exponential', delay: o.webhookBackoffMs ?? 1000 },
        removeOnComplete: { age: 3600 },
        removeOnFail: false,
      },
    });
  }

  queue(target: string): Queue<QueuedRequest> {
    const name = targetQueueName(target);
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue<QueuedRequest>(name, { connection: this.redis, prefix: BULL_PREFIX });
      this.queues.set(name, q);
    }
    return q;
  }

  /** The fairness counter of a target queue: waiting jobs per tenant. */
  tenantKey(target: string): string {
    return queueFairKey(targetQueueName(target));
  }

  /**
   * Adds requests for one target with fair priorities (see fairPriority). `ids` are BullMQ job
   * ids: adding an id that is still queued or recently completed is a no-op, so an interrupted
   * intake can simply run again.
   */
  async enqueue(
    target: string,
    tenant: string,
    reqs: QueuedRequest[],
    ids: string[],
  ): Promise<void> {
    if (reqs.length === 0) return;
    const end = await this.redis.hincrby(this.tenantKey(target), tenant, reqs.length);
    const start = end - reqs.length;
    const base: JobsOptions = {
      attempts: this.attempts,
      backoff: { type: 'exponential', delay: this.backoffMs },
      removeOnComplete: { age: 3600 },
      removeOnFail: false,
    };
    if (!this.known.has(target)) {
      await this.redis.sadd(TARGETS_KEY, target);
      this.known.add(target);
    }
    await this.queue(target).addBulk(
      reqs.map((data, i) => ({
        name: data.kind,
        data,
        opts: { ...base, jobId: ids[i], priority: fairPriority(data.cls, start + i) },
      })),
    );
  }

  async close(): Promise<void> {
    for (const q of this.queues.values()) await q.close();
    await this.control.close();
    await this.webhooks.close();
    this.redis.disconnect();
    this.ownBull?.disconnect();
  }
}
