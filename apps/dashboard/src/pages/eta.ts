/** What an ETA needs of a batch (the OpenAI Batch object's fields). */
export interface BatchProgress {
  status: string;
  created_at: number;
  in_progress_at?: number | null;
  request_counts: { total: number; completed: number; failed: number };
}

/** Seconds until done at the rate so far (undefined before the first line or when done). */
export function etaSeconds(b: BatchProgress, nowS: number): number | undefined {
  const c = b.request_counts;
  const done = c.completed + c.failed;
  if (b.status !== 'in_progress' || done === 0 || done >= c.total) return undefined;
  const since = b.in_progress_at ?? b.created_at;
  const rate = done / Math.max(1, nowS - since);
  return Math.round((c.total - done) / rate);
}
