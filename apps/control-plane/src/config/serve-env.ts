/**
 * The environment half of the `bascule-server` configuration: every BASCULE_* and OTEL_* variable
 * the roles use, validated once at start-up (a bad value names its variable) and turned into typed
 * settings per role. Roles never read `process.env`; they get these through their Services.
 * The variables, their defaults and their meaning are unchanged (docs/operations.md, the chart's
 * ConfigMap); see docs/decisions/0031-one-serve-configuration.md.
 */
import { parseEgressAllowList } from '@bascule/providers';
import { duration, parseDuration } from '@bascule/spec';
import { z } from 'zod';
import { RedisUrlSchema } from '../roles/redis-url-schema.js';
import { TracingConfigError, tracingConfigFromEnv } from '../tracing/tracing-config.js';

export const port = z.coerce
  .number({ error: 'must be a port number' })
  .int({ error: 'must be a port number' })
  .min(0, { error: 'must be 0..65535' })
  .max(65535, { error: 'must be 0..65535' });
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const text = z.string().optional();
const bool = z.enum(['true', 'false']).default('false');

/** A Bascule API key (bsc- and at least 20 characters), as the api role requires the admin key. */
export const API_KEY_PATTERN = /^bsc-[A-Za-z0-9_-]{20,}$/;
const apiKey = z.string().regex(API_KEY_PATTERN, {
  error: 'must be a bsc-... key (bsc- and at least 20 characters of [A-Za-z0-9_-])',
});

/** The worker's Redis when BASCULE_REDIS_URL is unset (the worker cannot run without one). */
export const WORKER_DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** Where the worker sends jobs when neither BASCULE_GATEWAY_URL nor an in-process gateway is. */
export const WORKER_DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8080';

const EnvVarsSchema = z.object({
  // Shared by every role that uses them.
  BASCULE_REDIS_URL: RedisUrlSchema.optional(),
  /** Batch input/output files (a PersistentVolume in a cluster). */
  BASCULE_BATCH_DIR: z.string().min(1).default('/var/lib/bascule/batches'),
  /** Bootstrap admin key (mount it from a Secret). */
  BASCULE_ADMIN_KEY: z.string().min(1).optional(),
  /** Address blocks callable on a user's behalf besides public ones (ADR 0022). */
  BASCULE_EGRESS_ALLOW: z.string().optional(),
  /** The scorer of Routes with a fixed complexityThreshold (ADR 0013). */
  BASCULE_COMPLEXITY_SCORER: z
    .enum(['heuristic', 'learned'], { error: 'must be learned or heuristic' })
    .default('heuristic'),
  // api role
  BASCULE_API_HOST: z.string().min(1).default('0.0.0.0'),
  BASCULE_API_PORT: port.default(8081),
  BASCULE_DASHBOARD_DIR: z.string().min(1).optional(),
  BASCULE_PROMETHEUS_URL: z.url({ protocol: /^https?$/ }).optional(),
  // gateway role
  BASCULE_GATEWAY_HOST: z.string().min(1).default('0.0.0.0'),
  BASCULE_GATEWAY_PORT: port.default(8080),
  BASCULE_AUTH: z.enum(['none', 'keys']).optional(),
  BASCULE_ACCESS_LOG: z.enum(['on', 'off']).default('on'),
  BASCULE_ACCESS_LOG_SAMPLE: z.coerce.number().min(0).max(1).default(1),
  BASCULE_ACCESS_LOG_PROMPTS: bool,
  // worker role
  BASCULE_GATEWAY_URL: z
    .url({ error: 'must be the gateway URL, e.g. http://bascule-gateway:8080' })
    .optional(),
  BASCULE_WEBHOOK_SIGNING_KEY: z
    .string()
    .min(16, { error: 'must be at least 16 characters' })
    .optional(),
  BASCULE_WORKER_CONCURRENCY: int(1, 1024).default(64),
  BASCULE_WORKER_SLOTS: int(1, 100_000).default(16),
  BASCULE_WEBHOOK_ALLOW_PRIVATE: bool,
  BASCULE_WORKER_KEY: apiKey.optional(),
  // the autoscaler, beside the controller role
  BASCULE_AUTOSCALER: z.enum(['on', 'off']).default('on'),
  BASCULE_AUTOSCALER_INTERVAL: duration().default('2s'),
  // tracing (checked by tracingConfigFromEnv; the OTel exporter reads its own endpoint/headers)
  OTEL_SDK_DISABLED: text,
  OTEL_TRACES_EXPORTER: text,
  OTEL_EXPORTER_OTLP_ENDPOINT: text,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: text,
  OTEL_EXPORTER_OTLP_PROTOCOL: text,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: text,
  OTEL_SERVICE_NAME: text,
  OTEL_TRACES_SAMPLER: text,
  OTEL_TRACES_SAMPLER_ARG: text,
  OTEL_BSP_SCHEDULE_DELAY: text,
});
type EnvVars = z.output<typeof EnvVarsSchema>;

/** An explicit BASCULE_AUTH wins; otherwise keys are required once an admin key exists. */
export function gatewayAuthMode(env: {
  BASCULE_AUTH?: 'none' | 'keys' | undefined;
  BASCULE_ADMIN_KEY?: string | undefined;
}): 'none' | 'keys' {
  return env.BASCULE_AUTH ?? (env.BASCULE_ADMIN_KEY ? 'keys' : 'none');
}

/** The environment, parsed: the settings each role uses. */
export const ServeEnvSchema = EnvVarsSchema.transform((e, ctx) => {
  const derived = derive(e);
  if (!derived.ok) {
    ctx.addIssue({ code: 'custom', path: [derived.variable], message: derived.message });
    return z.NEVER;
  }
  return derived.value;
});
export type ServeEnv = z.output<typeof ServeEnvSchema>;

function derive(e: EnvVars) {
  let egressAllow;
  try {
    egressAllow = parseEgressAllowList(e.BASCULE_EGRESS_ALLOW);
  } catch (err) {
    return fail('BASCULE_EGRESS_ALLOW', (err as Error).message);
  }
  let tracing;
  try {
    tracing = tracingConfigFromEnv(otelVars(e));
  } catch (err) {
    if (err instanceof TracingConfigError) return fail(err.variable, err.detail);
    throw err;
  }
  return { ok: true as const, value: settings(e, egressAllow, tracing) };
}

function otelVars(e: EnvVars): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(e).filter(([k]) => k.startsWith('OTEL_'))) as Record<
    string,
    string | undefined
  >;
}

function fail(variable: string, message: string) {
  return { ok: false as const, variable, message };
}

function settings(
  e: EnvVars,
  egressAllow: ReturnType<typeof parseEgressAllowList>,
  tracing: ReturnType<typeof tracingConfigFromEnv>,
) {
  return {
    /** BASCULE_REDIS_URL: keys, limits, usage and queues; each role runs without it where it can. */
    redisUrl: e.BASCULE_REDIS_URL,
    batchDir: e.BASCULE_BATCH_DIR,
    adminKey: e.BASCULE_ADMIN_KEY,
    egressAllow,
    complexityScorer: e.BASCULE_COMPLEXITY_SCORER,
    /** OTEL_*: undefined when tracing is off (docs/decisions/0026-tracing-and-access-log.md). */
    tracing,
    api: {
      host: e.BASCULE_API_HOST,
      port: e.BASCULE_API_PORT,
      dashboardDir: e.BASCULE_DASHBOARD_DIR,
      prometheusUrl: e.BASCULE_PROMETHEUS_URL,
    },
    gateway: {
      host: e.BASCULE_GATEWAY_HOST,
      port: e.BASCULE_GATEWAY_PORT,
      auth: gatewayAuthMode(e),
      accessLog: e.BASCULE_ACCESS_LOG === 'on',
      accessLogSample: e.BASCULE_ACCESS_LOG_SAMPLE,
      accessLogPrompts: e.BASCULE_ACCESS_LOG_PROMPTS === 'true',
    },
    worker: {
      redisUrl: e.BASCULE_REDIS_URL ?? WORKER_DEFAULT_REDIS_URL,
      /** Only when set explicitly: else the in-process gateway, else the local default. */
      gatewayUrl: e.BASCULE_GATEWAY_URL,
      webhookSigningKey: e.BASCULE_WEBHOOK_SIGNING_KEY,
      concurrency: e.BASCULE_WORKER_CONCURRENCY,
      slots: e.BASCULE_WORKER_SLOTS,
      webhookAllowPrivate: e.BASCULE_WEBHOOK_ALLOW_PRIVATE === 'true',
      /** The Bearer key sent to the gateway: the worker's own, else the admin key. */
      gatewayKey: e.BASCULE_WORKER_KEY ?? e.BASCULE_ADMIN_KEY,
    },
    autoscaler: {
      enabled: e.BASCULE_AUTOSCALER === 'on',
      intervalMs: parseDuration(e.BASCULE_AUTOSCALER_INTERVAL),
    },
  };
}
