import { echoName } from '@bascule/spec';
import type { QueueContext } from '../core/queue-context.js';
import { QueueError } from '../errors/queue-error.js';
import { BATCH_ENDPOINTS, isBatchEndpoint } from '../files/validate-batch-line.js';
import { newId } from '../http/new-id.js';
import type { QueueCaller } from '../http/queue-caller.js';
import type { JobClass } from '../queues/fair-priority.js';
import { checkWebhookUrl, type WebhookUrlPolicy } from '../webhooks/check-webhook-url.js';
import { publicJob, type JobObject, type JobPriority, type StoredJob } from './job-record.js';

const CLASS: Record<JobPriority, JobClass> = { high: 'interactive', normal: 'async', low: 'batch' };
const KNOWN = new Set([
  'model',
  'route',
  'endpoint',
  'body',
  'priority',
  'deadline',
  'webhook_url',
]);

export interface CreateJobOptions {
  webhooks: WebhookUrlPolicy;
  /** Admits the job for its target (scope, rate, budget) before anything is stored. */
  admit?: (targets: readonly string[]) => Promise<unknown>;
  /** Unknown Route/Model names are refused when this says so. */
  targetExists?: (name: string) => boolean;
}

/**
 * POST /api/v1/jobs: one request body for a Route or Model, with a priority, an optional
 * deadline and an optional webhook. An Idempotency-Key returns the job it first created.
 */
export async function createJob(
  ctx: QueueContext,
  caller: QueueCaller,
  input: unknown,
  idempotencyKey: string | undefined,
  o: CreateJobOptions,
): Promise<{ job: JobObject; created: boolean }> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw QueueError.badRequest('the body must be a JSON object');
  const b = input as Record<string, unknown>;
  for (const k of Object.keys(b))
    if (!KNOWN.has(k)) throw QueueError.badRequest(`unknown field '${k}'`, k, 'unknown_field');
  if (typeof b.body !== 'object' || b.body === null || Array.isArray(b.body))
    throw QueueError.badRequest(
      'body must be the request body object, e.g. {"messages": [...]}',
      'body',
    );
  const body = { ...(b.body as Record<string, unknown>) };
  if (body.stream === true)
    throw QueueError.badRequest('body.stream is not supported for jobs', 'body.stream');
  const endpoint = b.endpoint ?? '/v1/chat/completions';
  if (!isBatchEndpoint(endpoint))
    throw QueueError.badRequest(
      `endpoint must be one of ${BATCH_ENDPOINTS.join(', ')}`,
      'endpoint',
    );
  const target = b.route ?? b.model ?? body.model;
  if (typeof target !== 'string' || target.length === 0 || target.length > 256)
    throw QueueError.badRequest('name the target with "route", "model" or body.model', 'route');
  if (o.targetExists && !o.targetExists(target))
    throw new QueueError({
      status: 404,
      code: 'model_not_found',
      param: 'route',
      message: `no Route or Model '${echoName(target)}'`,
    });
  body.model = target;
  const owner = caller.tenant;
  const priority = (b.priority ?? 'normal') as JobPriority;
  if (!(priority in CLASS))
    throw QueueError.badRequest('priority must be "high", "normal" or "low"', 'priority');
  const deadline = parseDeadline(b.deadline);
  const webhook =
    b.webhook_url === undefined || b.webhook_url === null
      ? null
      : checkWebhookUrl(b.webhook_url, o.webhooks).toString();
  if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 255))
    throw QueueError.badRequest('Idempotency-Key must be 1 to 255 characters', 'Idempotency-Key');
  await o.admit?.([target]);
  const job: StoredJob = {
    id: newId('job_'),
    object: 'job',
    status: 'queued',
    model: target,
    endpoint,
    priority,
    created_at: Math.floor(Date.now() / 1000),
    started_at: null,
    completed_at: null,
    deadline: deadline === undefined ? null : Math.floor(deadline / 1000),
    webhook_url: webhook,
    response: null,
    error: null,
    served_by: null,
    owner,
    ...(caller.keyId ? { keyId: caller.keyId } : {}),
  };
  const { id, created } = await ctx.jobs.create(job, idempotencyKey);
  if (created)
    await ctx.enqueue(
      target,
      owner,
      [
        {
          kind: 'job',
          id,
          url: endpoint,
          body,
          target,
          tenant: owner,
          ...(caller.keyId ? { keyId: caller.keyId } : {}),
          cls: CLASS[priority],
          ...(deadline ? { deadline } : {}),
        },
      ],
      [id],
    );
  return { job: created ? publicJob(job) : publicJob(await ctx.jobs.get(id)), created };
}

/** `deadline`: RFC 3339 time or epoch seconds, in the future. Returns epoch ms. */
function parseDeadline(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms))
    throw QueueError.badRequest('deadline must be an RFC 3339 time or epoch seconds', 'deadline');
  if (ms <= Date.now()) throw QueueError.badRequest('deadline is in the past', 'deadline');
  return ms;
}

/** DELETE /api/v1/jobs/{id}: removes a queued job, or marks a running one cancelled. */
export async function cancelJob(ctx: QueueContext, owner: string, id: string): Promise<JobObject> {
  const job = await ctx.jobs.get(id, owner);
  if (job.status === 'queued' || job.status === 'running') {
    await ctx
      .queue(job.model)
      .remove(id)
      .catch(() => 0);
    await ctx.jobs.finish(id, 'cancelled', {});
  }
  return publicJob(await ctx.jobs.get(id));
}
