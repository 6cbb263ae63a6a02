import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyAuthenticator } from '@bascule/gateway';
import { createQueueHandler, type QueueContext, type QueueHandler } from '@bascule/queue';
import { queueAdmit, queueAuthenticate } from '../api/queue-authenticate.js';

export interface BatchApiOptions {
  /** Queues on Redis and batch files (BASCULE_BATCH_DIR); closed with the Batch API. */
  context: QueueContext;
  /** Key authentication; without it every caller is the `anonymous` tenant. */
  auth?: Pick<KeyAuthenticator, 'verify' | 'admitWork'>;
}

export interface BatchApi {
  context: QueueContext;
  handler: QueueHandler;
  close(): Promise<void>;
}

/**
 * The queue's node:http handler (Batch API /v1/files, /v1/batches and jobs /api/v1/jobs) over a
 * QueueContext on Redis and local batch files: what the api and gateway roles mount.
 */
export function createBatchApi(o: BatchApiOptions): BatchApi {
  const { context } = o;
  const handler = createQueueHandler({
    context,
    ...(o.auth ? { authenticate: queueAuthenticate(o.auth), admit: queueAdmit(o.auth) } : {}),
  });
  return { context, handler, close: () => context.close() };
}

const BATCH_PATHS = /^\/v1\/(?:files|batches)(?:[/?]|$)/;

/**
 * Wraps a /v1 handler so /v1/files* and /v1/batches* (the OpenAI Batch API, where SDK users point
 * their base URL) go to the queue handler and everything else to `next`.
 */
export function withBatchRoutes(
  handler: QueueHandler,
  next: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (BATCH_PATHS.test(req.url ?? '') && handler.handle(req, res)) return;
    next(req, res);
  };
}
