import { registerQueueMetrics } from './queue-metrics.js';
import { randomBytes } from 'node:crypto';
import {
  applyExamples,
  createRedisShadowSpend,
  createRedisWeightsStore,
  defaultLearningScorerFactory,
  gatewayModelLoad,
  startKubeResources,
  type EndpointStore,
  type EndpointTracker,
  type ResourceSource,
} from '@bascule/gateway';
import {
  createGatewayShadowCaller,
  createFixedCapacityGate,
  createGatewayExecutor,
  createLocalFileStorage,
  createHeadroomCapacityGate,
  derivedWebhookSecrets,
  QueueContext,
  QueueWorker,
  readQueueDepths,
  redisOptions,
  startShadowWorker,
  type CapacityGate,
} from '@bascule/queue';
import { buildCatalog } from '@bascule/router';
import type { RoleModule } from './role.js';
import { parseWorkerConfig } from './worker-config.js';
import { egressAllowFromEnv } from '../config/egress-allow.js';

/** Keys under which a gateway role in the same process shares what the worker can use. */
export const SHARED_RESOURCES_KEY = 'resources';
export const SHARED_GATEWAY_CAPACITY_KEY = 'gatewayCapacity';
/** The in-process gateway's URL: the worker's default when BASCULE_GATEWAY_URL is unset. */
export const SHARED_GATEWAY_URL_KEY = 'gatewayUrl';

/** What the gateway role may put under SHARED_GATEWAY_CAPACITY_KEY. */
export interface SharedGatewayCapacity {
  store: EndpointStore;
  tracker: EndpointTracker;
}

/**
 * The `worker` role: BullMQ workers for async jobs and batch lines, sending them through the
 * gateway. With a gateway role in the same process it takes only the headroom interactive
 * traffic leaves (its in-flight counts); alone, a fixed number of slots per target.
 */
export const workerRole: RoleModule = {
  name: 'worker',
  async start(context) {
    const { logger, shared, config } = context;
    const log = logger.child({ role: 'worker' });
    const cfg = parseWorkerConfig(process.env);
    const fromGateway = shared.get(SHARED_RESOURCES_KEY) as ResourceSource | undefined;
    // Alone, the worker watches Routes/Models/Providers itself (privacy and closed targets).
    const own = fromGateway
      ? undefined
      : await startKubeResources({
          client: context.kube(),
          namespace: config.namespace ?? context.kube().namespace,
          onWarning: (message, detail) => log.warn(detail, message),
        });
    const resources: ResourceSource | undefined = fromGateway ?? own;
    const capacity = shared.get(SHARED_GATEWAY_CAPACITY_KEY) as SharedGatewayCapacity | undefined;
    const gate: CapacityGate =
      resources && capacity
        ? createHeadroomCapacityGate({
            catalog: () => resources.snapshot().catalog,
            load: gatewayModelLoad(resources, capacity.store, capacity.tracker),
          })
        : createFixedCapacityGate(cfg.BASCULE_WORKER_SLOTS);
    const empty = buildCatalog({});
    if (!cfg.BASCULE_WEBHOOK_SIGNING_KEY)
      log.warn('BASCULE_WEBHOOK_SIGNING_KEY is not set: webhook secrets change on every restart');
    // An explicit BASCULE_GATEWAY_URL wins; else the gateway role of this process, if any.
    const inProcessUrl = shared.get(SHARED_GATEWAY_URL_KEY) as string | undefined;
    const gatewayUrl =
      process.env.BASCULE_GATEWAY_URL || !inProcessUrl ? cfg.BASCULE_GATEWAY_URL : inProcessUrl;
    // With BASCULE_AUTH=keys the gateway wants a key: the worker's own, else the admin key.
    const workerKey = cfg.BASCULE_WORKER_KEY ?? cfg.BASCULE_ADMIN_KEY;
    const queues = new QueueContext({
      redisUrl: cfg.BASCULE_REDIS_URL,
      storage: createLocalFileStorage(cfg.BASCULE_BATCH_DIR),
    });
    // Registered once per registry (a worker role restarted in one process keeps the first).
    const lineRate = context.registry.getSingleMetric('bascule_queue_depth')
      ? undefined
      : registerQueueMetrics(
          context.registry,
          (now) => readQueueDepths(queues, now),
          (err) =>
            log.debug({ err: err instanceof Error ? err.message : String(err) }, 'queue metrics'),
        );
    const worker = new QueueWorker({
      context: queues,
      ...(lineRate ? { onLineRecorded: (id: string) => lineRate.record(id) } : {}),
      executor: createGatewayExecutor({
        url: gatewayUrl,
        ...(workerKey ? { headers: { authorization: `Bearer ${workerKey}` } } : {}),
        ...(context.tracer ? { propagateTrace: true } : {}),
      }),
      ...(context.tracer ? { tracer: context.tracer('worker') } : {}),
      gate,
      // Without the Route catalog nothing may go external: deadlines then fail closed.
      catalog: () => resources?.snapshot().catalog ?? empty,
      webhookSecrets: derivedWebhookSecrets(
        cfg.BASCULE_WEBHOOK_SIGNING_KEY ?? randomBytes(32).toString('hex'),
      ),
      webhooks: {
        allowPrivate: cfg.BASCULE_WEBHOOK_ALLOW_PRIVATE === 'true',
        allow: egressAllowFromEnv(),
      },
      concurrency: cfg.BASCULE_WORKER_CONCURRENCY,
      onError: (err) =>
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'queue worker error'),
    });
    await worker.start();
    // Shadow evaluations of Routes with learning: through the same gateway, under its keys.
    const weights = createRedisWeightsStore(queues.redis);
    const shadow = startShadowWorker({
      connection: redisOptions(cfg.BASCULE_REDIS_URL),
      redis: queues.redis,
      deps: {
        catalog: () => resources?.snapshot().catalog ?? empty,
        caller: createGatewayShadowCaller({
          url: gatewayUrl,
          ...(workerKey ? { headers: { authorization: `Bearer ${workerKey}` } } : {}),
        }),
        spend: createRedisShadowSpend(queues.redis),
        learn: (route, examples, source) =>
          applyExamples(weights, defaultLearningScorerFactory, route, examples, source),
      },
      onOutcome: (job, out) => log.debug({ route: job.route, ...out }, 'shadow evaluation'),
      onError: (err) =>
        log.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'shadow evaluation failed',
        ),
    });
    log.info(
      {
        gate: capacity ? 'gateway in-flight' : 'fixed slots',
        gatewayUrl,
        gatewayKey: Boolean(workerKey),
      },
      'worker started',
    );
    return {
      ready: () => true,
      async stop() {
        await worker.close();
        await shadow.close();
        weights.close();
        await queues.close();
        await own?.stop();
      },
    };
  },
};
