import {
  BOOTSTRAP_ADMIN,
  GatewayError,
  bearerToken,
  createKeyAuthenticator,
  createRedisKeyStore,
  defaultLearningScorerFactory,
  keysEqual,
} from '@bascule/gateway';
import { dashboardAssetsDir } from '../api/dashboard/dashboard-assets.js';
import { startApi } from '../api/start-api.js';
import { complexityScorer } from '../config/complexity-scorer.js';
import type { ServeConfig } from '../config/serve-config.js';
import { createBatchApi } from './batch-api.js';
import { registerKeyBudgetMetrics } from './budget-metrics.js';
import type { RoleModule } from './role.js';

/** The `api` role: the control REST API on BASCULE_API_PORT. */
export const apiRole: RoleModule = {
  name: 'api',
  async start(context) {
    const { config } = context;
    const logger = context.logger.child({ role: 'api' });
    // The config check made sure of BASCULE_REDIS_URL or BASCULE_ADMIN_KEY (serve-config.ts).
    const adminKey = config.adminKey;
    const kube = context.kube();
    const redis = context.redis('api');
    const view = context.inProcess.gpuCapacity;
    const auth = redis
      ? createKeyAuthenticator({ redis, ...(adminKey ? { adminKey } : {}) })
      : undefined;
    const queues =
      config.redisUrl && auth
        ? createBatchApi({ context: context.queues(config.redisUrl), auth })
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
            if (t && adminKey && keysEqual(t, adminKey)) return Promise.resolve(BOOTSTRAP_ADMIN);
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
        namespace: config.namespace ?? kube.namespace,
        complexityScorer: complexityScorer(config.complexityScorer),
        ...(view ? { capacity: () => view.snapshot() } : {}),
        ...dashboardOf(config.api),
      },
      config.api.host,
      config.api.port,
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
function dashboardOf(api: ServeConfig['api']): { dashboardDir?: string; prometheusUrl?: string } {
  const dir = api.dashboardDir ?? dashboardAssetsDir();
  return {
    ...(dir ? { dashboardDir: dir } : {}),
    ...(api.prometheusUrl ? { prometheusUrl: api.prometheusUrl } : {}),
  };
}
