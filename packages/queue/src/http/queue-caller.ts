import type { IncomingMessage } from 'node:http';

/** Who is calling the job and Batch API: the tenant owns what it creates and sees only that. */
export interface QueueCaller {
  tenant: string;
  /** The API key behind the call: work it creates is admitted and billed under that key. */
  keyId?: string;
}

/** Identifies the caller of a read (no limits are taken). */
export type QueueAuthenticate = (req: IncomingMessage) => QueueCaller | Promise<QueueCaller>;

/**
 * Admits the creation of work (a file, a batch, a job) through the one admission path:
 * the key's scope for every target named, its rate limit and its budget. Throws a QueueError
 * (401, 403, 402, 429, 503) when refused.
 */
export type QueueAdmit = (
  req: IncomingMessage,
  targets: readonly string[],
) => QueueCaller | Promise<QueueCaller>;
