import type { IncomingMessage } from 'node:http';
import { GatewayError, type KeyAuthenticator, type KeyPrincipal } from '@bascule/gateway';
import {
  QueueError,
  type QueueAdmit,
  type QueueAuthenticate,
  type QueueCaller,
} from '@bascule/queue';

/**
 * Key authentication for the job and Batch API reads (createQueueHandler's `authenticate`): the
 * key's tenant owns its files, batches and jobs. Errors come back in the queue's error shape.
 */
export function queueAuthenticate(auth: Pick<KeyAuthenticator, 'verify'>): QueueAuthenticate {
  return (req: IncomingMessage) => inQueueShape(auth.verify(req.headers.authorization));
}

/**
 * Admission of new queued work (createQueueHandler's `admit`): the gateway's one admission path
 * (scope on every target, rpm, tpm, budget), so a job or batch is refused exactly as an
 * inference request of that key would be.
 */
export function queueAdmit(auth: Pick<KeyAuthenticator, 'admitWork'>): QueueAdmit {
  return (req, targets) => inQueueShape(auth.admitWork(req.headers.authorization, targets));
}

async function inQueueShape(p: Promise<KeyPrincipal>): Promise<QueueCaller> {
  try {
    const k = await p;
    return { tenant: k.tenant, keyId: k.keyId };
  } catch (err) {
    if (err instanceof GatewayError)
      throw new QueueError({
        status: err.status,
        code: err.code ?? 'invalid_api_key',
        message: err.message,
        param: err.param,
        headers: err.headers,
        retryable: err.retryable,
      });
    throw err;
  }
}
