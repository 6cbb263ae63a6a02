import { createRedis } from '@bascule/keyspace';
import { createKubeAutoscaler } from '@bascule/autoscaler/io';
import { capacityOf, type ModelController } from '@bascule/controller';
import { duration, parseDuration } from '@bascule/spec';
import type { ResourceSource } from '@bascule/gateway';
import { QueueContext, createLocalFileStorage } from '@bascule/queue';
import { z } from 'zod';
import { createModelSeriesWriter } from './model-series-writer.js';
import { queuedJobsDemand } from './queued-jobs-demand.js';
import type { RoleContext } from './role.js';
import { SHARED_RESOURCES_KEY } from './worker-role.js';
import { watchRedis } from './watch-redis.js';
import { RedisUrlSchema } from './redis-url-schema.js';

/** Autoscaler settings from the environment (parsed once; a bad value names the variable). */
const AutoscalerEnvSchema = z.object({
  BASCULE_AUTOSCALER: z.enum(['on', 'off']).default('on'),
  BASCULE_AUTOSCALER_INTERVAL: duration().default('2s'),
  BASCULE_REDIS_URL: RedisUrlSchema.optional(),
  BASCULE_BATCH_DIR: z.string().min(1).default('/var/lib/bascule/batches'),
});

/**
 * Runs the autoscaler loop beside the controller: it acts only while this replica holds the
 * controller's Lease, reads free GPUs from the controller's capacity view, gateways' in-flight
 * counts and its own state from Redis (BASCULE_REDIS_URL; engine /metrics only without it),
 * queued async/batch jobs (the queue's depth per Model and per Route leading to it) as demand,
 * and writes replicas through each Model's scale subresource.
 */
export function startAutoscaler(
  context: RoleContext,
  controller: ModelController,
): { stop(): Promise<void> } {
  const parsed = AutoscalerEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path.join('.')}: ${issue.message}`);
  }
  const env = parsed.data;
  const logger = context.logger.child({ role: 'autoscaler' });
  if (env.BASCULE_AUTOSCALER === 'off') {
    logger.info('autoscaler off (BASCULE_AUTOSCALER=off)');
    return { stop: () => Promise.resolve() };
  }
  const client = context.kube();
  const redis = env.BASCULE_REDIS_URL
    ? createRedis(env.BASCULE_REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : undefined;
  if (redis) watchRedis(redis, logger, 'autoscaler');
  // Queued jobs are demand too (a Model at zero with a batch waiting must scale up).
  const queues = env.BASCULE_REDIS_URL
    ? new QueueContext({
        redisUrl: env.BASCULE_REDIS_URL,
        storage: createLocalFileStorage(env.BASCULE_BATCH_DIR),
      })
    : undefined;
  // The dashboard's per-minute Model series (docs/dashboard.md).
  const series = redis ? createModelSeriesWriter({ redis }) : undefined;
  const routes = () =>
    (context.shared.get(SHARED_RESOURCES_KEY) as ResourceSource | undefined)?.snapshot().routes;
  const { loop } = createKubeAutoscaler({
    custom: client.custom,
    core: client.core,
    ...(redis ? { redis } : {}),
    ...(queues ? { queuedJobs: queuedJobsDemand(queues, routes) } : {}),
    capacity: { freeGpus: (type) => capacityOf(controller.capacity.snapshot(), type).free },
    isLeader: () => controller.isLeader(),
    ...(context.config.namespace ? { namespace: context.config.namespace } : {}),
    registry: context.registry,
    intervalMs: parseDuration(env.BASCULE_AUTOSCALER_INTERVAL),
    log: ({ msg, ...rest }) => logger.info(rest, String(msg)),
    ...(series ? { observer: series.observer, loadObserver: series.loadObserver } : {}),
  });
  loop.start();
  logger.info({ redis: Boolean(redis) }, 'autoscaler started');
  return {
    async stop() {
      await loop.stop();
      await series?.close();
      await queues?.close();
      redis?.disconnect();
    },
  };
}
