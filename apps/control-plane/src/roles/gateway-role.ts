import { hostname } from 'node:os';
import {
  createGateway,
  createKeyAuthenticator,
  createRedisClient,
  createRedisUsageSink,
  startGateway,
  startKubeResources,
} from '@modelplane/gateway';
import {
  createCachedSecretSource,
  createKubernetesSecretSource,
  createProviderClient,
  createRedisSharedLimits,
} from '@modelplane/providers';
import { z } from 'zod';
import type { RoleModule } from './role.js';

/** Gateway settings from the environment (parsed once at start; a bad value names the variable). */
const GatewayEnvSchema = z.object({
  MODELPLANE_GATEWAY_HOST: z.string().min(1).default('0.0.0.0'),
  MODELPLANE_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  MODELPLANE_REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** `keys`: every request needs an mp-... key (Redis key store, limits, budgets). */
  MODELPLANE_AUTH: z.enum(['none', 'keys']).default('none'),
  MODELPLANE_ADMIN_KEY: z.string().min(1).optional(),
});

/**
 * The `gateway` role: the OpenAI-compatible endpoint on MODELPLANE_GATEWAY_PORT, serving the
 * Routes, Models and Providers of the configured namespace (watched), with usage counters and
 * provider rate limits in Redis when MODELPLANE_REDIS_URL is set.
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
    const env = parsed.data;
    const client = context.kube();
    const namespace = context.config.namespace ?? client.namespace;
    const resources = await startKubeResources({
      client,
      namespace,
      onWarning: (message, detail) => logger.warn(detail, message),
    });
    const kubeSecrets = createKubernetesSecretSource(client.config, { namespace, logger });
    const secrets = createCachedSecretSource(kubeSecrets);
    const redis = env.MODELPLANE_REDIS_URL
      ? createRedisClient(env.MODELPLANE_REDIS_URL)
      : undefined;
    const limits = redis ? createRedisSharedLimits(redis) : undefined;
    const providerClient = createProviderClient({ logger, ...(limits ? { limits } : {}) });
    if (env.MODELPLANE_AUTH === 'keys' && !redis)
      throw new Error('MODELPLANE_AUTH=keys needs MODELPLANE_REDIS_URL (the key store)');
    const keyAuth =
      env.MODELPLANE_AUTH === 'keys' && redis
        ? createKeyAuthenticator({
            redis,
            ...(env.MODELPLANE_ADMIN_KEY ? { adminKey: env.MODELPLANE_ADMIN_KEY } : {}),
          })
        : undefined;
    const gateway = createGateway({
      ...(keyAuth ? { authenticate: keyAuth.authenticate, onUsage: keyAuth.settle } : {}),
      resources,
      secrets,
      providerClient,
      registry: context.registry,
      ...(redis
        ? {
            usage: createRedisUsageSink({
              redis,
              gatewayId: context.config.identity ?? `${hostname()}-${process.pid}`,
            }),
          }
        : {}),
    });
    const running = await startGateway({
      gateway,
      host: env.MODELPLANE_GATEWAY_HOST,
      port: env.MODELPLANE_GATEWAY_PORT,
    });
    logger.info({ url: running.url, namespace }, 'gateway listening');
    return {
      ready: () => true,
      async stop() {
        await running.close();
        await gateway.close();
        await providerClient.close();
        await resources.stop();
        secrets.close();
        kubeSecrets.close();
        redis?.disconnect();
      },
    };
  },
};
