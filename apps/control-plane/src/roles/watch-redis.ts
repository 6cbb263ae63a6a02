import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';

/**
 * Logs a Redis client's outage once (not once per reconnect attempt) and its recovery. The
 * listener also keeps ioredis from reporting "Unhandled error event" on stderr.
 */
export function watchRedis(client: EventEmitter, logger: Logger, what: string): void {
  let down = false;
  client.on('error', (err: Error) => {
    // An error on a live connection is not an outage (no 'ready' will follow to end it).
    if ((client as { status?: string }).status === 'ready') {
      logger.warn({ err: err.message, client: what }, 'redis error');
      return;
    }
    if (down) return;
    down = true;
    logger.warn({ err: err.message, client: what }, 'redis unavailable; reconnecting');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ client: what }, 'redis reconnected');
  });
}
