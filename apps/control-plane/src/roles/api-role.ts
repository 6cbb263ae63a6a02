import type { GpuCapacityView } from '@modelplane/controller';
import {
  BOOTSTRAP_ADMIN,
  GatewayError,
  bearerToken,
  createKeyAuthenticator,
  createRedisClient,
  createRedisKeyStore,
  keysEqual,
} from '@modelplane/gateway';
import { z } from 'zod';
import { startApi } from '../api/start-api.js';
import { createBatchApi } from './batch-api.js';
import { GPU_CAPACITY_KEY } from './controller-role.js';
import type { RoleModule } from './role.js';
import { watchRedis } from './watch-redis.js';

/** API settings from the environment (parsed once; a bad value names the variable). */
const ApiEnvSchema = z.object({
  MODELPLANE_API_HOST: z.string().min(1).default('0.0.0.0'),
  MODELPLANE_API_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  MODELPLANE_REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Bootstrap admin key (mount it from a Secret); must look like a key. */
  /** Batch input/output files (as the worker role reads them). */
  MODELPLANE_BATCH_DIR: z.string().min(1).default('/var/lib/modelplane/batches'),
  MODELPLANE_ADMIN_KEY: z
    .string()
    .regex(/^mp-[A-Za-z0-9_-]{20,}$/, {
      error: 'must be mp- and at least 20 characters of [A-Za-z0-9_-]',
    })
    .optional(),
});

/** The `api` role: the control REST API on MODELPLANE_API_PORT. */
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
    if (!env.MODELPLANE_REDIS_URL && !env.MODELPLANE_ADMIN_KEY)
      throw new Error(
        'the api role needs MODELPLANE_REDIS_URL (keys) or MODELPLANE_ADMIN_KEY (bootstrap admin)',
      );
    const kube = context.kube();
    const redis = env.MODELPLANE_REDIS_URL
      ? createRedisClient(env.MODELPLANE_REDIS_URL)
      : undefined;
    if (redis) watchRedis(redis, logger, 'api');
    const view = context.shared.get(GPU_CAPACITY_KEY) as GpuCapacityView | undefined;
    const auth = redis
      ? createKeyAuthenticator({
          redis,
          ...(env.MODELPLANE_ADMIN_KEY ? { adminKey: env.MODELPLANE_ADMIN_KEY } : {}),
        })
      : undefined;
    const queues =
      env.MODELPLANE_REDIS_URL && auth
        ? createBatchApi({
            redisUrl: env.MODELPLANE_REDIS_URL,
            batchDir: env.MODELPLANE_BATCH_DIR,
            auth,
          })
        : undefined;
    const running = await startApi(
      {
        kube,
        ...(redis ? { redis, keys: createRedisKeyStore(redis) } : {}),
        ...(queues ? { queue: queues.handler } : {}),
        auth: auth ?? {
          verify(h) {
            const t = bearerToken(h);
            if (t && keysEqual(t, env.MODELPLANE_ADMIN_KEY!))
              return Promise.resolve(BOOTSTRAP_ADMIN);
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
        registry: context.registry,
        namespace: context.config.namespace ?? kube.namespace,
        ...(view ? { capacity: () => view.snapshot() } : {}),
      },
      env.MODELPLANE_API_HOST,
      env.MODELPLANE_API_PORT,
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
