import type { ServerResponse } from 'node:http';
import { QueueError } from '../errors/queue-error.js';
import { sendError } from './http-io.js';

/** Seconds a client is told to wait while the queue's store (Redis) is unreachable. */
export const STORE_RETRY_AFTER_S = 5;

/** The 503 of every job, batch and file endpoint while Redis is down. */
export function storeUnavailable(): QueueError {
  return new QueueError({
    status: 503,
    code: 'store_unavailable',
    message: `the job and batch store (Redis) is unavailable; retry in ${STORE_RETRY_AFTER_S} s`,
    retryable: true,
    headers: { 'retry-after': String(STORE_RETRY_AFTER_S) },
  });
}

export interface StoreWatchdog {
  /** True once the watchdog answered for the request (later answers are dropped). */
  readonly answered: boolean;
  stop(): void;
}

/**
 * Bounds a request's wait on Redis: the queue's connection queues commands while Redis is down
 * (so a blip costs nothing), but a request does not wait for it past `graceMs`. Checked every
 * `tickMs` while the request is open; answers 503 with retry-after once the store has been
 * unreachable for `graceMs` of it.
 */
export function watchStore(
  res: ServerResponse,
  storeUp: () => boolean,
  graceMs: number,
  tickMs = 100,
): StoreWatchdog {
  let downSince: number | undefined;
  let answered = false;
  const check = (): void => {
    if (res.headersSent || res.writableEnded) return stop();
    if (storeUp()) {
      downSince = undefined;
      return;
    }
    downSince ??= Date.now();
    if (Date.now() - downSince < graceMs) return;
    answered = true;
    stop();
    sendError(res, storeUnavailable());
  };
  const timer = setInterval(check, tickMs);
  const stop = (): void => clearInterval(timer);
  check();
  return {
    get answered() {
      return answered;
    },
    stop,
  };
}
