import { hostname } from 'node:os';
import type { GpuProfileTable } from '@bascule/engines';
import { duration, parseDuration } from '@bascule/spec';
import { z } from 'zod';
import { API_KEY_PATTERN, ServeEnvSchema, port } from './serve-env.js';

/** Every role of the `bascule` binary. */
export const ROLE_NAMES = ['api', 'gateway', 'controller', 'worker'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

const ms = () => duration().transform(parseDuration);

/** The flags of `bascule-server` (names in camelCase; parse-serve-args maps them back). */
const ServeFlagsSchema = {
  roles: z
    .array(z.enum(ROLE_NAMES, { error: `must be one of ${ROLE_NAMES.join(', ')}` }))
    .min(1, { error: 'name at least one role' }),
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1).optional(),
  /** Watch Models in this namespace only (all namespaces when unset). */
  namespace: z.string().min(1).optional(),
  metricsHost: z.string().min(1).default('0.0.0.0'),
  metricsPort: port.default(9090),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  workers: z.coerce.number().int().min(1).max(64).default(4),
  leaderElect: z.boolean().default(true),
  leaseNamespace: z.string().min(1).optional(),
  leaseName: z.string().min(1).default('bascule-controller'),
  leaseDuration: ms().default(15_000),
  renewDeadline: ms().default(10_000),
  retryPeriod: ms().default(2_000),
  /** This replica's name: the Lease identity, the gateway's id in Redis, the tracing instance. */
  identity: z
    .string()
    .min(1)
    .default(() => `${hostname()}-${process.pid}`),
  startupTimeout: ms().default(3_600_000),
  /** JSON file of extra GPU types: type -> nodeSelector and tolerations. */
  gpuProfiles: z.string().min(1).optional(),
};

/**
 * `bascule-server` configuration, parsed once at start-up: the flags, and under `env` the
 * process environment (serve-env.ts). The output is one flat, typed object: the flags, then the
 * environment's settings (redisUrl, api, gateway, worker, autoscaler, tracing, ...). What a
 * role needs of the environment is checked once the flags are known good (roleNeeds).
 */
export const ServeConfigSchema = z
  .strictObject({ ...ServeFlagsSchema, env: ServeEnvSchema })
  .transform(({ env, ...flags }) => ({ ...flags, ...env }));

export type ServeConfig = z.output<typeof ServeConfigSchema> & {
  /** The GPU profile table read from --gpu-profiles (read once, at start-up). */
  gpuProfileTable?: GpuProfileTable;
};

/**
 * What the roles that run need of the environment: the first unmet need, naming the variable,
 * or undefined. (Only for roles that run: a gateway takes any admin key, the api a bsc- one.)
 */
export function roleNeeds(c: ServeConfig): { variable: string; message: string } | undefined {
  if (c.roles.includes('api')) {
    if (c.adminKey !== undefined && !API_KEY_PATTERN.test(c.adminKey))
      return {
        variable: 'BASCULE_ADMIN_KEY',
        message: 'must be bsc- and at least 20 characters of [A-Za-z0-9_-]',
      };
    if (!c.redisUrl && !c.adminKey)
      return {
        variable: 'BASCULE_REDIS_URL',
        message:
          'the api role needs BASCULE_REDIS_URL (keys) or BASCULE_ADMIN_KEY (bootstrap admin)',
      };
  }
  if (c.roles.includes('gateway') && c.gateway.auth === 'keys' && !c.redisUrl)
    return {
      variable: 'BASCULE_REDIS_URL',
      message: 'BASCULE_AUTH=keys needs BASCULE_REDIS_URL (the key store)',
    };
  return undefined;
}
