import { hostname } from 'node:os';
import {
  createAccessLog,
  createMemoryRouteBudgetLedger,
  createGateway,
  createRedisRouteBudgetLedger,
  createRedisScoreWindowStore,
  createKeyAuthenticator,
  createModelStatusEndpointStore,
  createRedisClient,
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
import { z } from 'zod';
import { createBatchApi, withBatchRoutes } from './batch-api.js';
import { registerRouteBudgetMetrics } from './budget-metrics.js';
import { meteringSink } from './metering-sink.js';
import { withGatewayDemand } from './gateway-demand-sink.js';
import { startGatewayLearning } from './learning-wiring.js';
import type { RoleModule } from './role.js';
import {
  SHARED_GATEWAY_CAPACITY_KEY,
  SHARED_GATEWAY_URL_KEY,
  SHARED_RESOURCES_KEY,
  type SharedGatewayCapacity,
} from './worker-role.js';
import { watchRedis } from './watch-redis.js';
import { complexityScorerFromEnv } from '../config/complexity-scorer.js';
import { egressAllowFromEnv } from '../config/egress-allow.js';
import { RedisUrlSchema } from './redis-url-schema.js';

/** Gateway settings from the environment (parsed once at start; a bad value names the variable). */
const GatewayEnvSchema = z.object({
  BASCULE_GATEWAY_HOST: z.string().min(1).default('0.0.0.0'),
  BASCULE_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  BASCULE_REDIS_URL: RedisUrlSchema.optional(),
  /**
   * `keys`: every request needs a bsc-... key (Redis key store, limits, budgets). Default: `keys`
   * when an admin key is configured, else `none` (logged as a warning at start).
   */
  BASCULE_AUTH: z.enum(['none', 'keys']).optional(),
  BASCULE_ADMIN_KEY: z.string().min(1).optional(),
  /** Batch input/output files of the Batch API (as the worker role reads them). */
  BASCULE_BATCH_DIR: z.string().min(1).default('/var/lib/bascule/batches'),
  /** The access log: one JSON line per request on stdout (docs/operations.md#access-log). */
  BASCULE_ACCESS_LOG: z.enum(['on', 'off']).default('on'),
  /** Share of successful requests logged (errors always are). */
  BASCULE_ACCESS_LOG_SAMPLE: z.coerce.number().min(0).max(1).default(1),
  /** Put the prompt text in each line: off unless explicitly enabled. */
  BASCULE_ACCESS_LOG_PROMPTS: z.enum(['true', 'false']).default('false'),
});

/** An explicit BASCULE_AUTH wins; otherwise keys are required once an admin key exists. */
export function gatewayAuthMode(env: {
  BASCULE_AUTH?: 'none' | 'keys' | undefined;
  BASCULE_ADMIN_KEY?: string | undefined;
}): 'none' | 'keys' {
  return env.BASCULE_AUTH ?? (env.BASCULE_ADMIN_KEY ? 'keys' : 'none');
}

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
    const logger = context.logger.child({ role: 'gateway' });
    const parsed = GatewayEnvSchema.safeParse(process.env);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${issue.path.join('.')}: ${issue.message}`);
    }
    const env = { ...parsed.data, BASCULE_AUTH: gatewayAuthMode(parsed.data) };
    if (env.BASCULE_AUTH === 'none')
      logger.warn(
        'authentication is off: the gateway serves every request without a key (set BASCULE_ADMIN_KEY and BASCULE_REDIS_URL, or BASCULE_AUTH=keys)',
      );
    const client = context.kube();
    const namespace = context.config.namespace ?? client.namespace;
    const resources = await startKubeResources({
      client,
      namespace,
      onWarning: (message, detail) => logger.warn(detail, message),
    });
    const kubeSecrets = createKubernetesSecretSource(client.config, { namespace, logger });
    const secrets = createCachedSecretSource(kubeSecrets);
    const redis = env.BASCULE_REDIS_URL ? createRedisClient(env.BASCULE_REDIS_URL) : undefined;
    if (redis) watchRedis(redis, logger, 'gateway');
    const limits = redis ? createRedisSharedLimits(redis) : undefined;
    // Provider base URLs are user-supplied: public and cluster addresses, plus the allow-list;
    // loopback, link-local and metadata only when BASCULE_EGRESS_ALLOW names them.
    const providerClient = createProviderClient({
      logger,
      egress: providerEgressPolicy(egressAllowFromEnv()),
      ...(limits ? { limits } : {}),
    });
    if (env.BASCULE_AUTH === 'keys' && !redis)
      throw new Error('BASCULE_AUTH=keys needs BASCULE_REDIS_URL (the key store)');
    const keyAuth =
      env.BASCULE_AUTH === 'keys' && redis
        ? createKeyAuthenticator({
            redis,
            ...(env.BASCULE_ADMIN_KEY ? { adminKey: env.BASCULE_ADMIN_KEY } : {}),
          })
        : undefined;
    const endpoints = createModelStatusEndpointStore(resources);
    const gatewayId = context.config.identity ?? `${hostname()}-${process.pid}`;
    const learning =
      redis && env.BASCULE_REDIS_URL
        ? startGatewayLearning({ redis, redisUrl: env.BASCULE_REDIS_URL, resources, logger })
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
    const accessLog =
      env.BASCULE_ACCESS_LOG === 'on'
        ? createAccessLog({
            write: (text) => context.logStream.write(text),
            sample: env.BASCULE_ACCESS_LOG_SAMPLE,
            prompts: env.BASCULE_ACCESS_LOG_PROMPTS === 'true',
          })
        : undefined;
    if (accessLog?.prompts)
      logger.warn('the access log includes prompt text (BASCULE_ACCESS_LOG_PROMPTS=true)');
    const gateway = createGateway({
      endpoints,
      ...(accessLog ? { accessLog } : {}),
      routeBudgets,
      ...(context.tracer ? { tracer: context.tracer('gateway') } : {}),
      scorer: complexityScorerFromEnv(),
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
    const batch = env.BASCULE_REDIS_URL
      ? createBatchApi({
          redisUrl: env.BASCULE_REDIS_URL,
          batchDir: env.BASCULE_BATCH_DIR,
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
      host: env.BASCULE_GATEWAY_HOST,
      port: env.BASCULE_GATEWAY_PORT,
    });
    logger.info({ url: running.url, namespace, batchApi: Boolean(batch) }, 'gateway listening');
    context.shared.set(SHARED_RESOURCES_KEY, resources);
    const capacity: SharedGatewayCapacity = { store: endpoints, tracker: gateway.tracker };
    context.shared.set(SHARED_GATEWAY_CAPACITY_KEY, capacity);
    context.shared.set(SHARED_GATEWAY_URL_KEY, running.url.replace('//0.0.0.0:', '//127.0.0.1:'));
    return {
      ready: () => true,
      async stop() {
        await running.close();
        await batch?.close();
        await gateway.close();
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
