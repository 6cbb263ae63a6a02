import type { GpuCapacityView } from '@bascule/controller';
import {
  BOOTSTRAP_ADMIN,
  GatewayError,
  bearerToken,
  createKeyAuthenticator,
  createRedisClient,
  createRedisKeyStore,
  defaultLearningScorerFactory,
  keysEqual,
} from '@bascule/gateway';
import { z } from 'zod';
import { dashboardAssetsDir } from '../api/dashboard/dashboard-assets.js';
import { startApi } from '../api/start-api.js';
import { createBatchApi } from './batch-api.js';
import { registerKeyBudgetMetrics } from './budget-metrics.js';
import { GPU_CAPACITY_KEY } from './controller-role.js';
import type { RoleModule } from './role.js';
import { watchRedis } from './watch-redis.js';
import { RedisUrlSchema } from './redis-url-schema.js';

/** API settings from the environment (parsed once; a bad value names the variable). */
const ApiEnvSchema = z.object({
  BASCULE_API_HOST: z.string().min(1).default('0.0.0.0'),
  BASCULE_API_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  BASCULE_REDIS_URL: RedisUrlSchema.optional(),
  /** Bootstrap admin key (mount it from a Secret); must look like a key. */
  /** Batch input/output files (as the worker role reads them). */
  BASCULE_BATCH_DIR: z.string().min(1).default('/var/lib/bascule/batches'),
  /** The dashboard's built assets (default: the @bascule/dashboard package's dist/). */
  BASCULE_DASHBOARD_DIR: z.string().min(1).optional(),
  /** Linked from the dashboard for history past its 24 hours (Prometheus or bascule's /metrics). */
  BASCULE_PROMETHEUS_URL: z.url({ protocol: /^https?$/ }).optional(),
  BASCULE_ADMIN_KEY: z
    .string()
    .regex(/^bsc-[A-Za-z0-9_-]{20,}$/, {
      error: 'must be bsc- and at least 20 characters of [A-Za-z0-9_-]',
    })
    .optional(),
});

/** The `api` role: the control REST API on BASCULE_API_PORT. */
export const apiRole: RoleModule = {
  name: 'api',
  async start(context) {
    const logger = context.logger.child({ role: 'api' });
    const parsed = ApiEnvSchema.safeParse(process.env);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${issue.path.join('.')}: ${issue.message}`);
    }
    const env = parsed.data;
    if (!env.BASCULE_REDIS_URL && !env.BASCULE_ADMIN_KEY)
      throw new Error(
        'the api role needs BASCULE_REDIS_URL (keys) or BASCULE_ADMIN_KEY (bootstrap admin)',
      );
    const kube = context.kube();
    const redis = env.BASCULE_REDIS_URL ? createRedisClient(env.BASCULE_REDIS_URL) : undefined;
    if (redis) watchRedis(redis, logger, 'api');
    const view = context.shared.get(GPU_CAPACITY_KEY) as GpuCapacityView | undefined;
    const auth = redis
      ? createKeyAuthenticator({
          redis,
          ...(env.BASCULE_ADMIN_KEY ? { adminKey: env.BASCULE_ADMIN_KEY } : {}),
        })
      : undefined;
    const queues =
      env.BASCULE_REDIS_URL && auth
        ? createBatchApi({
            redisUrl: env.BASCULE_REDIS_URL,
            batchDir: env.BASCULE_BATCH_DIR,
            auth,
          })
        : undefined;
    if (redis)
      registerKeyBudgetMetrics(context.registry, redis, createRedisKeyStore(redis), (err) =>
        logger.debug(
          { err: err instanceof Error ? err.message : String(err) },
          'key budget metrics',
        ),
      );
    const running = await startApi(
      {
        kube,
        ...(redis ? { redis, keys: createRedisKeyStore(redis) } : {}),
        ...(queues ? { queue: queues.handler } : {}),
        auth: auth ?? {
          verify(h) {
            const t = bearerToken(h);
            if (t && keysEqual(t, env.BASCULE_ADMIN_KEY!)) return Promise.resolve(BOOTSTRAP_ADMIN);
            return Promise.reject(
              new GatewayError({
                status: 401,
                code: 'invalid_api_key',
                message: 'invalid API key (without Redis only the bootstrap admin key works)',
              }),
            );
          },
        },
        logger,
        learner: defaultLearningScorerFactory,
        registry: context.registry,
        namespace: context.config.namespace ?? kube.namespace,
        ...(view ? { capacity: () => view.snapshot() } : {}),
        ...dashboardOf(env),
      },
      env.BASCULE_API_HOST,
      env.BASCULE_API_PORT,
    );
    logger.info({ url: running.url }, 'api listening');
    return {
      ready: () => true,
      async stop() {
        await running.close();
        await queues?.close();
        redis?.disconnect();
      },
    };
  },
};

/** Where the dashboard's assets are and what it links to (docs/dashboard.md). */
function dashboardOf(env: {
  BASCULE_DASHBOARD_DIR?: string | undefined;
  BASCULE_PROMETHEUS_URL?: string | undefined;
}): { dashboardDir?: string; prometheusUrl?: string } {
  const dir = env.BASCULE_DASHBOARD_DIR ?? dashboardAssetsDir();
  return {
    ...(dir ? { dashboardDir: dir } : {}),
    ...(env.BASCULE_PROMETHEUS_URL ? { prometheusUrl: env.BASCULE_PROMETHEUS_URL } : {}),
  };
}
