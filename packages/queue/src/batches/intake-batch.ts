import type { QueueContext } from '../core/queue-context.js';
import { splitLines } from '../files/split-lines.js';
import type { QueuedRequest } from '../queues/job-data.js';
import type { BatchLine } from '../files/validate-batch-line.js';

const CHUNK = 500;

/**
 * Turns a validating batch's input file into one queued request per line (streamed, a chunk at
 * a time), then marks it in_progress. Job ids are `batchId.line`, so running it again after a
 * crash adds only what is missing.
 */
export async function intakeBatch(ctx: QueueContext, batchId: string): Promise<void> {
  const b = await ctx.batches.getStored(batchId);
  if (b.status !== 'validating') return;
  const deadline = b.expires_at * 1000;
  let reqs: QueuedRequest[] = [];
  let ids: string[] = [];
  let target = '';
  let index = 0;
  const flush = async (): Promise<void> => {
    await ctx.enqueue(target, b.owner, reqs, ids);
    reqs = [];
    ids = [];
  };
  for await (const text of splitLines(ctx.storage.read(b.input_file_id))) {
    if (text.trim() === '') continue;
    const line = JSON.parse(text) as BatchLine;
    const t = line.body.model;
    if (reqs.length >= CHUNK || (reqs.length > 0 && t !== target)) await flush();
    target = t;
    reqs.push({
      kind: 'line',
      id: batchId,
      customId: line.custom_id,
      url: line.url,
      body: line.body,
      target: t,
      tenant: b.owner,
      ...(b.keyId ? { keyId: b.keyId } : {}),
      cls: 'batch',
      deadline,
    });
    ids.push(`${batchId}.${index++}`);
  }
  await flush();
  await ctx.batches.transition(batchId, ['validating'], 'in_progress', {
    in_progress_at: Math.floor(Date.now() / 1000),
  });
}
