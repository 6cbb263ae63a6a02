export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type JobPriority = 'high' | 'normal' | 'low';

/** An async job as the API returns it. */
export interface JobObject {
  id: string;
  object: 'job';
  status: JobStatus;
  /** Route or Model name. */
  model: string;
  endpoint: string;
  priority: JobPriority;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  /** Epoch seconds. */
  deadline: number | null;
  webhook_url: string | null;
  /** The model's answer (also for 4xx answers: status_code says which). */
  response: { status_code: number; body: unknown } | null;
  error: { code: string; message: string } | null;
  /** Which target served it: self-hosted or the Route's closed target after a deadline. */
  served_by: 'self-hosted' | 'external' | null;
}

export interface StoredJob extends JobObject {
  owner: string;
  /** The API key that submitted it (the work is billed to it). */
  keyId?: string;
}

export const JOB_TERMINAL: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export function publicJob(j: StoredJob): JobObject {
  const { owner: _o, keyId: _k, ...rest } = j;
  return rest;
}
