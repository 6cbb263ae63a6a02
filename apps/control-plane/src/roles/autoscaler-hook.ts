import { createKubeAutoscaler } from '@bascule/autoscaler/io';
import { capacityOf, type ModelController } from '@bascule/controller';
import { createModelSeriesWriter } from './model-series-writer.js';
import { queuedJobsDemand } from './queued-jobs-demand.js';
import type { Services } from './services.js';

/**
 * Runs the autoscaler loop beside the controller: it acts only while this replica holds the
 * controller's Lease, reads free GPUs from the controller's capacity view, gateways' in-flight
 * counts and its own state from Redis (BASCULE_REDIS_URL; engine /metrics only without it),
 * queued async/batch jobs (the queue's depth per Model and per Route leading to it) as demand,
 * and writes replicas through each Model's scale subresource.
 */
export function startAutoscaler(
  context: Services,
  controller: ModelController,
): { stop(): Promise<void> } {
  const { config } = context;
  const logger = context.logger.child({ role: 'autoscaler' });
  if (!config.autoscaler.enabled) {
    logger.info('autoscaler off (BASCULE_AUTOSCALER=off)');
    return { stop: () => Promise.resolve() };
  }
  const client = context.kube();
  const redis = context.redis('autoscaler', { failFast: true });
  // Queued jobs are demand too (a Model at zero with a batch waiting must scale up).
  const queues = config.redisUrl ? context.queues(config.redisUrl) : undefined;
  // The dashboard's per-minute Model series (docs/dashboard.md).
  const series = redis ? createModelSeriesWriter({ redis }) : undefined;
  const routes = () => context.inProcess.resources?.snapshot().routes;
  const { loop } = createKubeAutoscaler({
    custom: client.custom,
    core: client.core,
    ...(redis ? { redis } : {}),
    ...(queues ? { queuedJobs: queuedJobsDemand(queues, routes) } : {}),
    capacity: { freeGpus: (type) => capacityOf(controller.capacity.snapshot(), type).free },
    isLeader: () => controller.isLeader(),
    ...(config.namespace ? { namespace: config.namespace } : {}),
    registry: context.registry,
    intervalMs: config.autoscaler.intervalMs,
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
