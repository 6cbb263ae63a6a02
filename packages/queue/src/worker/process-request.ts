import { randomUUID } from 'node:crypto';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { encodeResult } from '../batches/finalize-batch.js';
import type { QueueContext } from '../core/queue-context.js';
import type { QueuedRequest } from '../queues/job-data.js';
import { admitJob, DeadlineError } from './admit-job.js';
import type { CapacityGate } from './capacity-gate.js';
import { classifyResponse } from './classify-response.js';
import type { ExecuteResult, JobExecutor } from './job-executor.js';
import type { TargetPolicy } from './target-policy.js';

export interface ProcessDeps {
  ctx: QueueContext;
  executor: JobExecutor;
  gate: CapacityGate;
  policy: (target: string) => TargetPolicy;
  estimateMs: (target: string) => number;
  observe: (target: string, ms: number) => void;
  marginMs: number;
  now: () => number;
  /** Aborted when the worker shuts down: waiting jobs are handed back. */
  stopping: AbortSignal;
  /** Is the batch still taking results? (cached) */
  batchLive: (id: string) => Promise<boolean>;
  /** Lines in the batch (cached). */
  batchTotal: (id: string) => Promise<number>;
  /** Called for each batch line recorded (metrics: lines/s per batch). */
  onLineRecorded?: (batchId: string) => void;
  /** Called with the final state of an async job (webhooks). */
  onJobDone: (jobId: string) => Promise<void>;
}

/**
 * Runs one queued request: waits for capacity (or the deadline), sends it, and records the
 * answer exactly once. Retryable failures throw (BullMQ retries with backoff) until the last
 * attempt, which records the failure; 4xx answers are final at once.
 */
export async function processRequest(
  job: Job<QueuedRequest>,
  token: string | undefined,
  d: ProcessDeps,
): Promise<string> {
  const q = job.data;
  // First take: the request leaves its tenant's fairness backlog.
  if (job.attemptsMade === 0)
    d.ctx.redis.hincrby(d.ctx.tenantKey(q.target), q.tenant, -1).catch(() => undefined);
  if (q.kind === 'line' && !(await d.batchLive(q.id))) return 'skipped';
  if (q.kind === 'job') {
    const j = await d.ctx.jobs.find(q.id);
    if (!j || j.status === 'succeeded' || j.status === 'failed' || j.status === 'cancelled')
      return 'skipped';
  }
  const policy = d.policy(q.target);
  const requestId = `req_${randomUUID().replace(/-/g, '')}`;
  let result: ExecuteResult;
  let external = false;
  try {
    const a = await admitJob(q, {
      gate: d.gate,
      policy,
      estimateMs: d.estimateMs(q.target),
      marginMs: d.marginMs,
      now: d.now,
      signal: d.stopping,
    });
    if ('handBack' in a) {
      await job.moveToDelayed(Date.now() + 10, token);
      throw new DelayedError();
    }
    external = a.external;
    if (q.kind === 'job' && !(await d.ctx.jobs.markRunning(q.id))) {
      if (!a.external) a.lease.release();
      return 'skipped';
    }
    const t0 = performance.now();
    try {
      // Past the deadline's point of no return: straight to the Route's closed target.
      const body =
        a.external && policy.externalModel ? { ...q.body, model: policy.externalModel } : q.body;
      result = await d.executor.execute({
        url: q.url,
        body,
        allowExternal: a.external,
        ...(q.keyId ? { onBehalfOf: q.keyId } : {}),
      });
    } finally {
      if (!a.external) a.lease.release();
    }
    if (!a.external) d.observe(q.target, performance.now() - t0);
  } catch (err) {
    if (err instanceof DelayedError) throw err;
    if (err instanceof DeadlineError) {
      await record(
        d,
        q,
        0,
        requestId,
        JSON.stringify({ code: 'deadline_exceeded', message: err.message }),
        external,
      );
      throw err;
    }
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (!last) throw err instanceof Error ? err : new Error(String(err));
    const msg = `could not reach the gateway after ${job.attemptsMade + 1} attempts: ${err instanceof Error ? err.message : String(err)}`;
    await record(
      d,
      q,
      0,
      requestId,
      JSON.stringify({ code: 'upstream_unreachable', message: msg }),
      external,
    );
    throw new UnrecoverableError(msg);
  }
  const outcome = classifyResponse(result.status);
  if (outcome === 'retry' && job.attemptsMade + 1 < (job.opts.attempts ?? 1))
    throw new Error(`upstream answered ${result.status}: ${result.body.slice(0, 200)}`);
  await record(d, q, result.status, result.requestId, result.body, external);
  if (outcome !== 'ok')
    throw new UnrecoverableError(
      `upstream answered ${result.status}: ${result.body.slice(0, 200)}`,
    );
  return 'ok';
}

async function record(
  d: ProcessDeps,
  q: QueuedRequest,
  status: number,
  requestId: string,
  body: string,
  external: boolean,
): Promise<void> {
  if (q.kind === 'line') {
    const ok = status >= 200 && status < 300;
    const done = await d.ctx.batches.record(
      q.id,
      q.customId ?? '',
      ok,
      encodeResult(status, requestId, body),
    );
    d.onLineRecorded?.(q.id);
    if (done >= 0 && done >= (await d.batchTotal(q.id)))
      await d.ctx.control.add(
        'finalize',
        { op: 'finalize', batchId: q.id, terminal: 'completed' },
        { jobId: `finalize.${q.id}` },
      );
    return;
  }
  let parsed: unknown = body;
  try {
    parsed = JSON.parse(body);
  } catch {
    /* keep text */
  }
  const ok = status >= 200 && status < 300;
  const finished = await d.ctx.jobs.finish(
    q.id,
    ok ? 'succeeded' : 'failed',
    status === 0
      ? { error: parsed as { code: string; message: string }, served_by: null }
      : {
          response: { status_code: status, body: parsed },
          error: ok ? null : { code: 'upstream_error', message: `the model answered ${status}` },
          served_by: external ? 'external' : 'self-hosted',
        },
  );
  if (finished) await d.onJobDone(q.id);
}
