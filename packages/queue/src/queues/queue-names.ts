import { queueTargetsKey } from '@bascule/keyspace';
import { createHash } from 'node:crypto';

/** BullMQ key prefix of every queue (hash tag {queue}: one slot on a Redis Cluster). */
export { BULL_PREFIX } from '@bascule/keyspace';
/** Redis set of the target queue names in use (workers watch it). */
export const TARGETS_KEY = queueTargetsKey();
/** The control queue: batch intake, finalisation, expiry and cancellation. */
export const CONTROL_QUEUE = 'control';
/** Webhook deliveries, retried with backoff. */
export const WEBHOOK_QUEUE = 'webhooks';

/**
 * The BullMQ queue of one Route or Model. Names may hold any character (aliases), so odd ones
 * are replaced and a short hash keeps them distinct.
 */
export function targetQueueName(target: string): string {
  const safe = target.replace(/[^A-Za-z0-9._-]/g, '_');
  if (safe === target && safe.length <= 100) return `t.${safe}`;
  const h = createHash('sha256').update(target).digest('hex').slice(0, 8);
  return `t.${safe.slice(0, 90)}.${h}`;
}
