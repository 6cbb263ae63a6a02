import type { JobClass } from './fair-priority.js';

/** What one queued request carries in BullMQ (one async job or one batch line). */
export interface QueuedRequest {
  /** 'job': an async job (id = job id); 'line': a batch line (id = batch id). */
  kind: 'job' | 'line';
  id: string;
  /** custom_id of a batch line. */
  customId?: string;
  /** e.g. /v1/chat/completions */
  url: string;
  body: Record<string, unknown>;
  /** Route or Model name. */
  target: string;
  tenant: string;
  /** The API key that submitted it: the work is admitted and billed under that key. */
  keyId?: string;
  cls: JobClass;
  /** Epoch ms by which the result is wanted. */
  deadline?: number;
}

/** Control-queue work. */
export type ControlJob =
  | { op: 'intake'; batchId: string }
  | { op: 'finalize'; batchId: string; terminal: 'completed' | 'expired' | 'cancelled' };
