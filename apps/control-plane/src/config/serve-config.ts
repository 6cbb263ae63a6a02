import type { GpuProfileTable } from '@bascule/engines';
import { duration, parseDuration } from '@bascule/spec';
import { z } from 'zod';

/** Every role of the `bascule` binary. */
export const ROLE_NAMES = ['api', 'gateway', 'controller', 'worker'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

const port = z.coerce
  .number({ error: 'must be a port number' })
  .int({ error: 'must be a port number' })
  .min(0, { error: 'must be 0..65535' })
  .max(65535, { error: 'must be 0..65535' });
const ms = () => duration().transform(parseDuration);

/** `bascule-server` configuration: flags (and environment) parsed once at start-up. */
export const ServeConfigSchema = z.strictObject({
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
  identity: z.string().min(1).optional(),
  startupTimeout: ms().default(3_600_000),
  /** JSON file of extra GPU types: type -> nodeSelector and tolerations. */
  gpuProfiles: z.string().min(1).optional(),
});
export type ServeConfig = z.output<typeof ServeConfigSchema> & {
  /** The GPU profile table read from --gpu-profiles (read once, at start-up). */
  gpuProfileTable?: GpuProfileTable;
};
