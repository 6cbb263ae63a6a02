import { z } from 'zod';
import { RedisUrlSchema } from './redis-url-schema.js';

const apiKey = z.string().regex(/^bsc-[A-Za-z0-9_-]{20,}$/, {
  error: 'must be a bsc-... key (bsc- and at least 20 characters of [A-Za-z0-9_-])',
});
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * The worker role's settings, from the environment (parsed once at start-up):
 * BASCULE_REDIS_URL, BASCULE_GATEWAY_URL (where jobs are sent), BASCULE_BATCH_DIR (batch
 * files; a PersistentVolume in a cluster), BASCULE_WEBHOOK_SIGNING_KEY (per-tenant webhook
 * secrets are derived from it), BASCULE_WORKER_CONCURRENCY (jobs taken per queue),
 * BASCULE_WORKER_SLOTS (self-hosted slots per target when the gateway is not in this
 * process), BASCULE_WEBHOOK_ALLOW_PRIVATE (labs only), BASCULE_WORKER_KEY (the Bearer key
 * sent to a gateway with BASCULE_AUTH=keys; BASCULE_ADMIN_KEY when unset).
 */
export const WorkerConfigSchema = z.object({
  BASCULE_REDIS_URL: RedisUrlSchema.default('redis://127.0.0.1:6379'),
  BASCULE_GATEWAY_URL: z
    .url({ error: 'must be the gateway URL, e.g. http://bascule-gateway:8080' })
    .default('http://127.0.0.1:8080'),
  BASCULE_BATCH_DIR: z.string().min(1).default('/var/lib/bascule/batches'),
  BASCULE_WEBHOOK_SIGNING_KEY: z
    .string()
    .min(16, { error: 'must be at least 16 characters' })
    .optional(),
  BASCULE_WORKER_CONCURRENCY: int(1, 1024).default(64),
  BASCULE_WORKER_SLOTS: int(1, 100_000).default(16),
  BASCULE_WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  BASCULE_WORKER_KEY: apiKey.optional(),
  BASCULE_ADMIN_KEY: z.string().min(1).optional(),
});
export type WorkerConfig = z.output<typeof WorkerConfigSchema>;

/** Parses the environment; throws an Error naming each bad variable (never its value). */
export function parseWorkerConfig(env: NodeJS.ProcessEnv): WorkerConfig {
  const r = WorkerConfigSchema.safeParse(env);
  if (r.success) return r.data;
  throw new Error(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
}
