/**
 * Tracing settings from the standard OpenTelemetry environment variables (pure: the env in, a
 * config or an error naming the variable out). Off unless asked for: OTEL_TRACES_EXPORTER=otlp
 * (or console), or an OTLP endpoint set without OTEL_TRACES_EXPORTER=none. See
 * docs/decisions/0026-tracing-and-access-log.md.
 */
export type SamplerConfig =
  | { kind: 'always_on' | 'always_off' | 'parentbased_always_on' | 'parentbased_always_off' }
  | { kind: 'traceidratio' | 'parentbased_traceidratio'; ratio: number };

export interface TracingConfig {
  exporter: 'otlp' | 'console';
  serviceName: string;
  sampler: SamplerConfig;
  /** Batch span processor delay (OTEL_BSP_SCHEDULE_DELAY, ms). */
  scheduleDelayMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** A bad OTEL_* value: `variable` names it, the message starts with it. */
export class TracingConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly detail: string,
  ) {
    super(`${variable}: ${detail}`);
  }
}

/** undefined: tracing is off (no SDK is loaded). */
export function tracingConfigFromEnv(env: Env): TracingConfig | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  for (const e of exporters)
    if (e !== 'otlp' && e !== 'console' && e !== 'none')
      throw new TracingConfigError(
        'OTEL_TRACES_EXPORTER',
        `"${e}" is not supported (use otlp, console or none)`,
      );
  let exporter: TracingConfig['exporter'] | undefined;
  if (exporters.includes('none')) return undefined;
  if (exporters.includes('otlp')) exporter = 'otlp';
  else if (exporters.includes('console')) exporter = 'console';
  else if (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
    exporter = 'otlp';
  if (!exporter) return undefined;
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (exporter === 'otlp' && protocol !== undefined && protocol !== 'http/json')
    throw new TracingConfigError(
      env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL !== undefined
        ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
        : 'OTEL_EXPORTER_OTLP_PROTOCOL',
      `"${protocol}" is not supported (Bascule exports OTLP over HTTP as JSON: http/json)`,
    );
  return {
    exporter,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'bascule',
    sampler: samplerFromEnv(env),
    scheduleDelayMs: numberVar(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000, 0, 600_000),
  };
}

function samplerFromEnv(env: Env): SamplerConfig {
  const name = (env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on').trim();
  const kind = SAMPLERS.find((s) => s === name);
  if (!kind)
    throw new TracingConfigError(
      'OTEL_TRACES_SAMPLER',
      `"${name}" is not supported (use one of ${SAMPLERS.join(', ')})`,
    );
  if (kind === 'traceidratio' || kind === 'parentbased_traceidratio')
    return { kind, ratio: numberVar(env, 'OTEL_TRACES_SAMPLER_ARG', 1, 0, 1) };
  return { kind };
}

function numberVar(env: Env, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return dflt;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new TracingConfigError(name, `"${raw}" is not a number from ${min} to ${max}`);
  return n;
}
