import type { QueueContext } from '../core/queue-context.js';

export interface DeadLetter {
  id: string;
  kind: 'job' | 'line';
  custom_id: string | null;
  batch_id: string | null;
  attempts: number;
  failed_reason: string;
  failed_at: number | null;
}

/** Requests of a target that failed for good (retries exhausted or final errors), newest first. */
export async function listDeadLetters(
  ctx: QueueContext,
  target: string,
  tenant: string,
  limit: number,
): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  for (let start = 0; out.length < limit && start < 10_000; start += 200) {
    const jobs = await ctx.queue(target).getFailed(start, start + 199);
    if (jobs.length === 0) break;
    for (const j of jobs) {
      if (j.data.tenant !== tenant) continue;
      out.push({
        id: j.data.kind === 'job' ? j.data.id : `${j.data.id}/${j.data.customId ?? ''}`,
        kind: j.data.kind,
        custom_id: j.data.customId ?? null,
        batch_id: j.data.kind === 'line' ? j.data.id : null,
        attempts: j.attemptsMade,
        failed_reason: j.failedReason,
        failed_at: j.finishedOn ? Math.floor(j.finishedOn / 1000) : null,
      });
      if (out.length >= limit) break;
    }
  }
  return out;
}
