import { QueueError } from '../errors/queue-error.js';
import type { QueueContext } from '../core/queue-context.js';
import { isBatchEndpoint, BATCH_ENDPOINTS } from '../files/validate-batch-line.js';
import { newId } from '../http/new-id.js';
import type { QueueCaller } from '../http/queue-caller.js';
import type { BatchObject, StoredBatch } from './batch-record.js';

/** Longest completion window accepted (OpenAI offers 24h; shorter ones help tests and SLAs). */
const MAX_WINDOW_S = 7 * 86_400;

export function parseCompletionWindow(v: unknown): number {
  const m = typeof v === 'string' ? /^(\d{1,6})(s|m|h)$/.exec(v) : null;
  const secs = m ? Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'] : 0;
  if (!m || secs < 1 || secs > MAX_WINDOW_S)
    throw QueueError.badRequest(
      `completion_window must be a duration such as "24h" (seconds, minutes or hours, at most 168h)`,
      'completion_window',
    );
  return secs;
}

/**
 * POST /v1/batches: checks the request and the input file, stores the batch as `validating`
 * and queues its intake (a control job, so it survives a restart of this process).
 */
export async function createBatch(
  ctx: QueueContext,
  caller: QueueCaller,
  body: unknown,
  admit: (targets: readonly string[]) => Promise<unknown> = () => Promise.resolve(),
): Promise<BatchObject> {
  const owner = caller.tenant;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw QueueError.badRequest('the body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.input_file_id !== 'string' || !b.input_file_id)
    throw QueueError.badRequest(
      'input_file_id must be the id of an uploaded file',
      'input_file_id',
    );
  if (!isBatchEndpoint(b.endpoint))
    throw QueueError.badRequest(
      `endpoint must be one of ${BATCH_ENDPOINTS.join(', ')} (got ${JSON.stringify(b.endpoint)?.slice(0, 80)})`,
      'endpoint',
    );
  const window = parseCompletionWindow(b.completion_window);
  const metadata = checkMetadata(b.metadata);
  const file = await ctx.files.get(b.input_file_id, owner).catch(() => {
    throw QueueError.badRequest(`no file '${b.input_file_id as string}'`, 'input_file_id');
  });
  if (file.purpose !== 'batch')
    throw QueueError.badRequest(
      `file '${file.id}' was not uploaded with purpose "batch"`,
      'input_file_id',
    );
  const other = (file.endpoints ?? []).find((e) => e !== b.endpoint);
  if (other)
    throw QueueError.badRequest(
      `the file's lines call ${other}, but the batch endpoint is ${b.endpoint as string}; one batch calls one endpoint`,
      'endpoint',
    );
  // Every Route/Model the lines name must be within the key's scope (and its budget not spent).
  await admit(file.models ?? []);
  const now = Math.floor(Date.now() / 1000);
  const batch: StoredBatch = {
    id: newId('batch_'),
    object: 'batch',
    endpoint: b.endpoint,
    errors: null,
    input_file_id: file.id,
    completion_window: b.completion_window as string,
    status: 'validating',
    output_file_id: null,
    error_file_id: null,
    created_at: now,
    in_progress_at: null,
    expires_at: now + window,
    finalizing_at: null,
    completed_at: null,
    failed_at: null,
    expired_at: null,
    cancelling_at: null,
    cancelled_at: null,
    metadata,
    owner,
    ...(caller.keyId ? { keyId: caller.keyId } : {}),
    total: file.lines ?? 0,
  };
  await ctx.batches.create(batch);
  await ctx.control.add(
    'intake',
    { op: 'intake', batchId: batch.id },
    { jobId: `intake.${batch.id}` },
  );
  await ctx.control.add(
    'expire',
    { op: 'finalize', batchId: batch.id, terminal: 'expired' },
    { jobId: `expire.${batch.id}`, delay: window * 1000 },
  );
  return ctx.batches.toPublic(batch);
}

function checkMetadata(v: unknown): Record<string, string> | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v))
    throw QueueError.badRequest('metadata must be an object of strings', 'metadata');
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > 16)
    throw QueueError.badRequest('metadata has more than 16 keys', 'metadata');
  for (const [k, val] of entries)
    if (k.length > 64 || typeof val !== 'string' || val.length > 512)
      throw QueueError.badRequest(
        `metadata.${k.slice(0, 64)} must be a string of at most 512 characters (keys at most 64)`,
        `metadata.${k.slice(0, 64)}`,
      );
  return entries.length ? (v as Record<string, string>) : null;
}

/** POST /v1/batches/{id}/cancel: `cancelling` now, `cancelled` once finalised. */
export async function cancelBatch(
  ctx: QueueContext,
  owner: string,
  id: string,
): Promise<BatchObject> {
  await ctx.batches.getStored(id, owner);
  const now = Math.floor(Date.now() / 1000);
  const moved = await ctx.batches.transition(id, ['validating', 'in_progress'], 'cancelling', {
    cancelling_at: now,
  });
  if (moved)
    await ctx.control.add(
      'cancel',
      { op: 'finalize', batchId: id, terminal: 'cancelled' },
      { jobId: `cancel.${id}` },
    );
  const b = await ctx.batches.getStored(id);
  if (!moved && b.status !== 'cancelling' && b.status !== 'cancelled')
    throw new QueueError({
      status: 409,
      code: 'batch_not_cancellable',
      message: `batch ${id} is ${b.status} and can no longer be cancelled`,
    });
  return ctx.batches.toPublic(b);
}
