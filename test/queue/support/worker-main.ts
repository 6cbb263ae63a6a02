/**
 * A worker process for the crash test: `tsx --conditions=source worker-main.ts` with
 * REDIS_URL, GATEWAY_URL, STORAGE_DIR and LOCK_MS in the environment. Prints "ready" once
 * started; SIGTERM closes it gracefully.
 */
import { buildCatalog } from '@bascule/router';
import {
  createFixedCapacityGate,
  createGatewayExecutor,
  createLocalFileStorage,
  derivedWebhookSecrets,
  QueueContext,
  QueueWorker,
} from '@bascule/queue';

const env = (k: string): string => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const context = new QueueContext({
  redisUrl: env('REDIS_URL'),
  storage: createLocalFileStorage(env('STORAGE_DIR')),
  backoffMs: 50,
});
const worker = new QueueWorker({
  context,
  executor: createGatewayExecutor({ url: env('GATEWAY_URL') }),
  gate: createFixedCapacityGate(Number(process.env.SLOTS ?? 16)),
  catalog: () => buildCatalog({}),
  webhookSecrets: derivedWebhookSecrets('k'),
  concurrency: Number(process.env.CONCURRENCY ?? 16),
  lockDurationMs: Number(process.env.LOCK_MS ?? 30_000),
  discoverMs: 100,
});
await worker.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker
    .close()
    .then(() => context.close())
    .then(() => process.exit(0));
});
