import { randomUUID } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import { traceJob } from './trace-job.js';
import { Worker, type Job } from 'bullmq';
import type { RoutingCatalog } from '@bascule/router';
import { finalizeBatch } from '../batches/finalize-batch.js';
import { intakeBatch } from '../batches/intake-batch.js';
import type { QueueContext } from '../core/queue-context.js';
import { publicJob } from '../jobs/job-record.js';
import type { ControlJob, QueuedRequest } from '../queues/job-data.js';
import {
  BULL_PREFIX,
  CONTROL_QUEUE,
  TARGETS_KEY,
  WEBHOOK_QUEUE,
  targetQueueName,
} from '../queues/queue-names.js';
import type { HttpClient, Resolve } from '@bascule/providers';
import type { WebhookUrlPolicy } from '../webhooks/check-webhook-url.js';
import { createWebhookClient, deliverWebhook } from '../webhooks/deliver-webhook.js';
import type { WebhookDelivery } from '../webhooks/webhook-delivery.js';
import type { WebhookSecretSource } from '../webhooks/webhook-secret.js';
import type { CapacityGate } from './capacity-gate.js';
import type { JobExecutor } from './job-executor.js';
import { processRequest, type ProcessDeps } from './process-request.js';
import { targetPolicy, type TargetPolicy } from './target-policy.js';

export interface QueueWorkerOptions {
  context: QueueContext;
  executor: JobExecutor;
  gate: CapacityGate;
  /** The Routes/Models/Providers catalog (privacy and closed targets). */
  catalog: () => RoutingCatalog;
  webhookSecrets: WebhookSecretSource;
  webhooks?: WebhookUrlPolicy;
  /** Resolves webhook hosts at connect time (default: the system resolver; tests inject one). */
  webhookResolve?: Resolve;
  /** Requests taken at once per target queue (they wait at the gate; default 64). */
  concurrency?: number;
  /** Time to serve one request before any is measured (default 2 s). */
  defaultEstimateMs?: number;
  /** Slack kept before a deadline (default 1 s). */
  deadlineMarginMs?: number;
  /** How long a taken job stays locked without renewal (default 30 s). */
  lockDurationMs?: number;
  /** How often to look for new target queues (default 1 s). */
  discoverMs?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
  /** Each batch line recorded (lines/s per batch). */
  onLineRecorded?: (batchId: string) => void;
  /** Only when tracing is on: a span per queued request run. */
  tracer?: Tracer;
}

/**
 * The worker role's engine: one BullMQ Worker per target queue (found in Redis as they
 * appear), one for control work (batch intake, finalisation, expiry, cancellation) and one for
 * webhooks. Stop it with `close()`: it stops taking jobs, hands back the ones still waiting for
 * capacity and lets the ones in flight finish.
 */
export class QueueWorker {
  private readonly workers = new Map<string, Worker>();
  private readonly stopping = new AbortController();
  private readonly estimates = new Map<string, number>();
  private readonly batchCache = new Map<string, { live: boolean; total: number; at: number }>();
  private discoverTimer: NodeJS.Timeout | undefined;
  private readonly deps: ProcessDeps;
  private readonly webhookPolicy: WebhookUrlPolicy;
  private readonly webhookClient: HttpClient;
  private readonly policies = new Map<string, { catalog: RoutingCatalog; policy: TargetPolicy }>();

  constructor(private readonly o: QueueWorkerOptions) {
    this.webhookPolicy = o.webhooks ?? {};
    this.webhookClient = createWebhookClient(this.webhookPolicy, o.webhookResolve);
    const now = o.now ?? Date.now;
    this.deps = {
      ctx: o.context,
      executor: o.executor,
      gate: o.gate,
      policy: (t) => this.policyOf(t),
      estimateMs: (t) => this.estimates.get(t) ?? o.defaultEstimateMs ?? 2000,
      observe: (t, ms) => {
        const old = this.estimates.get(t);
        this.estimates.set(t, old === undefined ? ms : old * 0.9 + ms * 0.1);
      },
      marginMs: o.deadlineMarginMs ?? 1000,
      now,
      stopping: this.stopping.signal,
      batchLive: (id) => this.batchLive(id),
      batchTotal: async (id) => {
        await this.batchLive(id);
        return this.batchCache.get(id)?.total ?? Infinity;
      },
      onJobDone: (id) => this.jobDone(id),
      ...(o.onLineRecorded ? { onLineRecorded: o.onLineRecorded } : {}),
    };
  }

  async start(): Promise<void> {
    const ctx = this.o.context;
    this.add(
      CONTROL_QUEUE,
      new Worker<ControlJob>(
        CONTROL_QUEUE,
        async (job: Job<ControlJob>) => {
          const d = job.data;
          if (d.op === 'intake') await intakeBatch(ctx, d.batchId);
          else await finalizeBatch(ctx, d.batchId, d.terminal);
        },
        this.workerOptions(4),
      ),
    );
    this.add(
      WEBHOOK_QUEUE,
      new Worker<WebhookDelivery>(
        WEBHOOK_QUEUE,
        (job: Job<WebhookDelivery>) =>
          deliverWebhook(job.data, this.o.webhookSecrets, this.webhookPolicy, this.webhookClient),
        this.workerOptions(16),
      ),
    );
    await this.discover();
    const tick = (): void => {
      this.discover()
        .catch((err: unknown) => this.o.onError?.(err))
        .finally(() => {
          if (!this.stopping.signal.aborted)
            this.discoverTimer = setTimeout(tick, this.o.discoverMs ?? 1000);
        });
    };
    this.discoverTimer = setTimeout(tick, this.o.discoverMs ?? 1000);
  }

  /** Graceful: no new jobs; waiting ones go back to the queue; in-flight ones finish. */
  async close(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.discoverTimer);
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    await this.o.executor.close?.();
    await this.webhookClient.close();
  }

  private async discover(): Promise<void> {
    const targets = await this.o.context.redis.smembers(TARGETS_KEY);
    for (const t of targets) {
      const name = targetQueueName(t);
      if (this.workers.has(name) || this.stopping.signal.aborted) continue;
      this.add(
        name,
        new Worker<QueuedRequest, string>(
          name,
          (job, token) =>
            this.o.tracer
              ? traceJob(this.o.tracer, job, () => processRequest(job, token, this.deps))
              : processRequest(job, token, this.deps),
          this.workerOptions(this.o.concurrency ?? 64),
        ),
      );
    }
  }

  private add(name: string, w: Worker): void {
    w.on('error', (err) => this.o.onError?.(err));
    this.workers.set(name, w);
  }

  private workerOptions(concurrency: number) {
    return {
      connection: this.o.context.connection,
      prefix: BULL_PREFIX,
      concurrency,
      lockDuration: this.o.lockDurationMs ?? 30_000,
      stalledInterval: Math.max(1000, Math.floor((this.o.lockDurationMs ?? 30_000) / 2)),
      maxStalledCount: 5,
      name: `worker-${process.pid}-${randomUUID().slice(0, 8)}`,
    };
  }

  private policyOf(target: string): TargetPolicy {
    const catalog = this.o.catalog();
    const hit = this.policies.get(target);
    if (hit && hit.catalog === catalog) return hit.policy;
    const policy = targetPolicy(catalog, target);
    this.policies.set(target, { catalog, policy });
    return policy;
  }

  private async batchLive(id: string): Promise<boolean> {
    const now = Date.now();
    const hit = this.batchCache.get(id);
    if (hit && now - hit.at < 500) return hit.live;
    const b = await this.o.context.batches.getStored(id).catch(() => undefined);
    const live = b !== undefined && (b.status === 'validating' || b.status === 'in_progress');
    if (this.batchCache.size > 10_000) this.batchCache.clear();
    this.batchCache.set(id, { live, total: b?.total ?? Infinity, at: now });
    return live;
  }

  private async jobDone(id: string): Promise<void> {
    const j = await this.o.context.jobs.find(id);
    if (!j?.webhook_url) return;
    await this.o.context.webhooks.add(
      'deliver',
      {
        id: `evt_${id}_${j.status}`,
        url: j.webhook_url,
        tenant: j.owner,
        body: JSON.stringify({ type: `job.${j.status}`, data: publicJob(j) }),
      },
      { jobId: `evt.${id}.${j.status}` },
    );
  }
}
