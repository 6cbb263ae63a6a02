import { registerQueueMetrics } from './queue-metrics.js';
import { randomBytes } from 'node:crypto';
import {
  applyExamples,
  createRedisShadowSpend,
  createRedisWeightsStore,
  defaultLearningScorerFactory,
  gatewayModelLoad,
  startKubeResources,
  type ResourceSource,
} from '@bascule/gateway';
import {
  createGatewayShadowCaller,
  createFixedCapacityGate,
  createGatewayExecutor,
  createHeadroomCapacityGate,
  derivedWebhookSecrets,
  QueueWorker,
  readQueueDepths,
  redisOptions,
  startShadowWorker,
  type CapacityGate,
} from '@bascule/queue';
import { buildCatalog } from '@bascule/router';
import { WORKER_DEFAULT_GATEWAY_URL } from '../config/serve-env.js';
import type { RoleModule } from './role.js';

/**
 * The `worker` role: BullMQ workers for async jobs and batch lines, sending them through the
 * gateway. With a gateway role in the same process it takes only the headroom interactive
 * traffic leaves (its in-flight counts); alone, a fixed number of slots per target.
 */
export const workerRole: RoleModule = {
  name: 'worker',
  async start(context) {
    const { logger, inProcess, config } = context;
    const cfg = config.worker;
    const log = logger.child({ role: 'worker' });
    const fromGateway = inProcess.resources;
    // Alone, the worker watches Routes/Models/Providers itself (privacy and closed targets).
    const own = fromGateway
      ? undefined
      : await startKubeResources({
          client: context.kube(),
          namespace: config.namespace ?? context.kube().namespace,
          onWarning: (message, detail) => log.warn(detail, message),
        });
    const resources: ResourceSource | undefined = fromGateway ?? own;
    const capacity = inProcess.gatewayCapacity;
    const gate: CapacityGate =
      resources && capacity
        ? createHeadroomCapacityGate({
            catalog: () => resources.snapshot().catalog,
            load: gatewayModelLoad(resources, capacity.store, capacity.tracker),
          })
        : createFixedCapacityGate(cfg.slots);
    const empty = buildCatalog({});
    if (!cfg.webhookSigningKey)
      log.warn('BASCULE_WEBHOOK_SIGNING_KEY is not set: webhook secrets change on every restart');
    // An explicit BASCULE_GATEWAY_URL wins; else the gateway role of this process, if any.
    const gatewayUrl = cfg.gatewayUrl ?? inProcess.gatewayUrl ?? WORKER_DEFAULT_GATEWAY_URL;
    // With BASCULE_AUTH=keys the gateway wants a key: the worker's own, else the admin key.
    const workerKey = cfg.gatewayKey;
    const queues = context.queues(cfg.redisUrl);
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
        cfg.webhookSigningKey ?? randomBytes(32).toString('hex'),
      ),
      webhooks: {
        allowPrivate: cfg.webhookAllowPrivate,
        allow: config.egressAllow,
      },
      concurrency: cfg.concurrency,
      onError: (err) =>
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'queue worker error'),
    });
    await worker.start();
    // Shadow evaluations of Routes with learning: through the same gateway, under its keys.
    const weights = createRedisWeightsStore(queues.redis);
    const shadow = startShadowWorker({
      connection: redisOptions(cfg.redisUrl),
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
