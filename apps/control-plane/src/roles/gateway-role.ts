import {
  createAccessLog,
  createMemoryRouteBudgetLedger,
  createGateway,
  createRedisRouteBudgetLedger,
  createRedisScoreWindowStore,
  createKeyAuthenticator,
  createModelStatusEndpointStore,
  createRedisResponseStore,
  startGateway,
  startKubeResources,
} from '@bascule/gateway';
import {
  createCachedSecretSource,
  createKubernetesSecretSource,
  createProviderClient,
  createRedisSharedLimits,
  providerEgressPolicy,
} from '@bascule/providers';
import { createBatchApi, withBatchRoutes } from './batch-api.js';
import { registerRouteBudgetMetrics } from './budget-metrics.js';
import { meteringSink } from './metering-sink.js';
import { withGatewayDemand } from './gateway-demand-sink.js';
import { startGatewayLearning } from './learning-wiring.js';
import type { RoleModule } from './role.js';
import { complexityScorer } from '../config/complexity-scorer.js';

/**
 * The `gateway` role: the OpenAI-compatible endpoint on BASCULE_GATEWAY_PORT, serving the
 * Routes, Models and Providers of the configured namespace (watched), with usage counters and
 * provider rate limits in Redis when BASCULE_REDIS_URL is set. With Redis it also serves the
 * OpenAI Batch API (/v1/files, /v1/batches) on the same port, and shares its Routes and in-flight
 * counts with a worker role in the same process.
 */
export const gatewayRole: RoleModule = {
  name: 'gateway',
  async start(context) {
    const { config, inProcess } = context;
    const settings = config.gateway;
    const logger = context.logger.child({ role: 'gateway' });
    if (settings.auth === 'none')
      logger.warn(
        'authentication is off: the gateway serves every request without a key (set BASCULE_ADMIN_KEY and BASCULE_REDIS_URL, or BASCULE_AUTH=keys)',
      );
    const client = context.kube();
    const namespace = config.namespace ?? client.namespace;
    const resources = await startKubeResources({
      client,
      namespace,
      onWarning: (message, detail) => logger.warn(detail, message),
    });
    const kubeSecrets = createKubernetesSecretSource(client.config, { namespace, logger });
    const secrets = createCachedSecretSource(kubeSecrets);
    const redis = context.redis('gateway');
    const limits = redis ? createRedisSharedLimits(redis) : undefined;
    // Provider base URLs are user-supplied: public and cluster addresses, plus the allow-list;
    // loopback, link-local and metadata only when BASCULE_EGRESS_ALLOW names them.
    const providerClient = createProviderClient({
      logger,
      egress: providerEgressPolicy(config.egressAllow),
      ...(limits ? { limits } : {}),
    });
    // BASCULE_AUTH=keys without Redis is refused when the config is parsed (serve-config.ts).
    const keyAuth =
      settings.auth === 'keys' && redis
        ? createKeyAuthenticator({
            redis,
            // busy keys admitted without a Redis round trip per request (ADR 0034)
            leases: true,
            ...(config.adminKey ? { adminKey: config.adminKey } : {}),
          })
        : undefined;
    const endpoints = createModelStatusEndpointStore(resources);
    const gatewayId = config.identity;
    const learning =
      redis && config.redisUrl
        ? startGatewayLearning({ redis, redisUrl: config.redisUrl, resources, logger })
        : undefined;
    const routeBudgets = redis
      ? createRedisRouteBudgetLedger({
          redis,
          onError: throttled(60_000, (err: unknown, op: 'read' | 'write') =>
            logger.warn(
              { err: err instanceof Error ? err.message : String(err) },
              op === 'read'
                ? 'route budgets not enforced: cannot read spend from Redis (logged once a minute)'
                : 'route budget spend lost: cannot write it to Redis (logged once a minute)',
            ),
          ),
        })
      : createMemoryRouteBudgetLedger();
    registerRouteBudgetMetrics(context.registry, resources, routeBudgets, (err) =>
      logger.debug(
        { err: err instanceof Error ? err.message : String(err) },
        'route budget metrics',
      ),
    );
    const accessLog = settings.accessLog
      ? createAccessLog({
          write: (text) => context.logStream.write(text),
          sample: settings.accessLogSample,
          prompts: settings.accessLogPrompts,
        })
      : undefined;
    if (accessLog?.prompts)
      logger.warn('the access log includes prompt text (BASCULE_ACCESS_LOG_PROMPTS=true)');
    const gateway = createGateway({
      endpoints,
      ...(accessLog ? { accessLog } : {}),
      routeBudgets,
      ...(context.tracer ? { tracer: context.tracer('gateway') } : {}),
      scorer: complexityScorer(config.complexityScorer),
      ...(keyAuth ? { authenticate: keyAuth.authenticate } : {}),
      onUsage(r) {
        keyAuth?.settle(r);
        // The audit line of a request privacy.detect acted on: classes and action, never text
        // (its access line carries them too).
        if (r.privacy)
          logger.info(
            {
              route: r.route,
              key: r.key,
              target: r.target,
              status: r.status,
              classes: r.privacy.classes,
              action: r.privacy.action,
            },
            'privacy detection',
          );
      },
      resources,
      secrets,
      providerClient,
      registry: context.registry,
      ...(learning ? { learning: learning.hook } : {}),
      ...(redis
        ? {
            scoreWindows: createRedisScoreWindowStore({ redis }),
            // Stored /v1/responses (GET/DELETE, previous_response_id), shared by replicas.
            responseStore: createRedisResponseStore({ redis }),
            onScoreWindowError: throttled(60_000, (err: unknown) =>
              logger.warn(
                { err: err instanceof Error ? err.message : String(err) },
                'complexity calibration: cannot share scores through Redis; this replica uses its own (logged once a minute)',
              ),
            ),
            usage: withGatewayDemand(meteringSink(redis, gatewayId), {
              redis,
              gatewayId,
              onError: (err: unknown) =>
                logger.warn(
                  { err: err instanceof Error ? err.message : String(err) },
                  'demand report failed',
                ),
            }),
          }
        : {}),
    });
    const batch = config.redisUrl
      ? createBatchApi({
          context: context.queues(config.redisUrl),
          ...(keyAuth ? { auth: keyAuth } : {}),
        })
      : undefined;
    const running = await startGateway({
      gateway: batch
        ? {
            ...gateway,
            handle: withBatchRoutes(batch.handler, (req, res) => gateway.handle(req, res)),
          }
        : gateway,
      host: settings.host,
      port: settings.port,
    });
    logger.info({ url: running.url, namespace, batchApi: Boolean(batch) }, 'gateway listening');
    inProcess.resources = resources;
    inProcess.gatewayCapacity = { store: endpoints, tracker: gateway.tracker };
    inProcess.gatewayUrl = running.url.replace('//0.0.0.0:', '//127.0.0.1:');
    return {
      ready: () => true,
      async stop() {
        await running.close();
        await batch?.close();
        await gateway.close();
        // Settles still batched, and what leases did not use, reach Redis before it is closed
        // (ADR 0033, 0034).
        await keyAuth?.close();
        await learning?.close();
        endpoints.close();
        await providerClient.close();
        await resources.stop();
        secrets.close();
        kubeSecrets.close();
        redis?.disconnect();
      },
    };
  },
};

/** Calls `fn` at most once per `ms` (a failing dependency must not log once per request). */
function throttled<A extends unknown[]>(
  ms: number,
  fn: (...args: A) => void,
): (...args: A) => void {
  let last = -Infinity;
  return (...args) => {
    const now = Date.now();
    if (now - last < ms) return;
    last = now;
    fn(...args);
  };
}
