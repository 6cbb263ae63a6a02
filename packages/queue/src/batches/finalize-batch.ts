import type { QueueContext } from '../core/queue-context.js';
import { splitLines } from '../files/split-lines.js';
import type { BatchLine } from '../files/validate-batch-line.js';
import type { StoredFile } from '../files/file-record.js';
import type { StoredBatch } from './batch-record.js';

const CHUNK = 500;

/** A stored result: `status\nrequestId\nbody`. */
export function encodeResult(status: number, requestId: string, body: string): string {
  return `${status}\n${requestId}\n${body}`;
}

function decodeResult(v: string): { status: number; requestId: string; body: string } {
  const a = v.indexOf('\n');
  const b = v.indexOf('\n', a + 1);
  return { status: Number(v.slice(0, a)), requestId: v.slice(a + 1, b), body: v.slice(b + 1) };
}

function jsonBody(text: string): string {
  try {
    JSON.parse(text);
    return text;
  } catch {
    return JSON.stringify(text);
  }
}

/**
 * Seals the batch (later results are ignored), then writes the output and error files by
 * streaming the input file in order and looking results up by custom_id, so each custom_id
 * appears exactly once; lines without a result are reported as expired or cancelled.
 * Safe to run again: file ids are derived from the batch id.
 */
export async function finalizeBatch(
  ctx: QueueContext,
  batchId: string,
  wanted: 'completed' | 'expired' | 'cancelled',
): Promise<void> {
  const now = (): number => Math.floor(Date.now() / 1000);
  const b = await ctx.batches.getStored(batchId);
  // Past its window a batch has expired, even if its last lines just ended (in failure).
  const terminal = wanted === 'completed' && now() >= b.expires_at ? 'expired' : wanted;
  if (['completed', 'expired', 'cancelled', 'failed'].includes(b.status)) return;
  if (terminal === 'completed' && b.status === 'cancelling') return;
  await ctx.batches.seal(batchId);
  if (terminal === 'completed')
    await ctx.batches.transition(batchId, ['validating', 'in_progress'], 'finalizing', {
      finalizing_at: now(),
    });
  const missingCode = terminal === 'cancelled' ? 'batch_cancelled' : 'batch_expired';
  const missingMsg =
    terminal === 'cancelled'
      ? 'This line was not executed because the batch was cancelled.'
      : 'This line could not be executed before the completion window expired.';
  let okLines = 0;
  let errLines = 0;
  const outId = `file-${batchId}-output`;
  const errId = `file-${batchId}-errors`;
  const outBytes = await ctx.storage.write(
    outId,
    lines(ctx, b, (cid, r) => {
      if (!r) return undefined;
      const d = decodeResult(r);
      if (d.status < 200 || d.status >= 300) return undefined;
      okLines++;
      return `{"id":"batch_req_${d.requestId.replace(/^req_/, '')}","custom_id":${JSON.stringify(cid)},"response":{"status_code":${d.status},"request_id":"${d.requestId}","body":${jsonBody(d.body)}},"error":null}\n`;
    }),
  );
  const errBytes = await ctx.storage.write(
    errId,
    lines(ctx, b, (cid, r) => {
      if (r) {
        const d = decodeResult(r);
        if (d.status >= 200 && d.status < 300) return undefined;
        errLines++;
        if (d.status === 0)
          return `{"id":"batch_req_${d.requestId.replace(/^req_/, '')}","custom_id":${JSON.stringify(cid)},"response":null,"error":${jsonBody(d.body)}}\n`;
        return `{"id":"batch_req_${d.requestId.replace(/^req_/, '')}","custom_id":${JSON.stringify(cid)},"response":{"status_code":${d.status},"request_id":"${d.requestId}","body":${jsonBody(d.body)}},"error":null}\n`;
      }
      if (terminal === 'completed') return undefined;
      errLines++;
      return `{"id":"batch_req_${batchId}_${errLines}","custom_id":${JSON.stringify(cid)},"response":null,"error":{"code":"${missingCode}","message":"${missingMsg}"}}\n`;
    }),
  );
  const file = (id: string, bytes: number): StoredFile => ({
    id,
    object: 'file',
    bytes,
    created_at: now(),
    filename: id === outId ? `${batchId}_output.jsonl` : `${batchId}_error.jsonl`,
    purpose: 'batch_output',
    status: 'processed',
    status_details: null,
    owner: b.owner,
  });
  if (okLines > 0) await ctx.files.put(file(outId, outBytes));
  else await ctx.storage.remove(outId);
  if (errLines > 0) await ctx.files.put(file(errId, errBytes));
  else await ctx.storage.remove(errId);
  const ids = {
    output_file_id: okLines > 0 ? outId : null,
    error_file_id: errLines > 0 ? errId : null,
  };
  if (terminal === 'completed')
    await ctx.batches.transition(batchId, ['finalizing'], 'completed', {
      ...ids,
      completed_at: now(),
    });
  else if (terminal === 'expired')
    await ctx.batches.transition(batchId, ['validating', 'in_progress', 'finalizing'], 'expired', {
      ...ids,
      expired_at: now(),
    });
  else
    await ctx.batches.transition(batchId, ['cancelling'], 'cancelled', {
      ...ids,
      cancelled_at: now(),
    });
  await ctx.batches.expireResults(batchId, ctx.resultTtlSeconds);
}

async function* lines(
  ctx: QueueContext,
  b: StoredBatch,
  render: (customId: string, result: string | null) => string | undefined,
): AsyncGenerator<string> {
  let cids: string[] = [];
  const flush = async function* (): AsyncGenerator<string> {
    const rs = await ctx.batches.results(b.id, cids);
    let out = '';
    for (let i = 0; i < cids.length; i++) out += render(cids[i]!, rs[i] ?? null) ?? '';
    cids = [];
    if (out) yield out;
  };
  for await (const text of splitLines(ctx.storage.read(b.input_file_id))) {
    if (text.trim() === '') continue;
    cids.push((JSON.parse(text) as BatchLine).custom_id);
    if (cids.length >= CHUNK) yield* flush();
  }
  yield* flush();
}
