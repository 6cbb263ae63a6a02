import type { IncomingMessage } from 'node:http';
import { GatewayError, type KeyAuthenticator } from '@bascule/gateway';
import { QueueError, type QueueAuthenticate } from '@bascule/queue';

/**
 * Key authentication for the job and Batch API (createQueueHandler's `authenticate`): the key's
 * tenant owns its files, batches and jobs. 401s come back in the queue's error shape.
 */
export function queueAuthenticate(auth: Pick<KeyAuthenticator, 'verify'>): QueueAuthenticate {
  return async (req: IncomingMessage) => {
    try {
      const p = await auth.verify(req.headers.authorization);
      return { tenant: p.tenant };
    } catch (err) {
      if (err instanceof GatewayError)
        throw new QueueError({
          status: err.status,
          code: err.code ?? 'invalid_api_key',
          message: err.message,
          headers: err.headers,
        });
      throw err;
    }
  };
}
