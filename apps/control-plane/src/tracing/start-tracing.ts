import type { Tracer } from '@opentelemetry/api';
import type { TracingConfig } from './tracing-config.js';

/** Tracing while it runs: a Tracer per component, and a shutdown that flushes spans. */
export interface Tracing {
  tracer(component: string): Tracer;
  shutdown(): Promise<void>;
}

/**
 * Starts tracing when the OTEL_* environment asked for it (`config`, parsed with the serve
 * configuration). Off (the default), it loads nothing: the SDK module is imported only here,
 * the roles get no Tracer and make no span.
 */
export async function startTracing(
  config: TracingConfig | undefined,
  instanceId: string,
): Promise<Tracing | undefined> {
  if (!config) return undefined;
  const { startTracingSdk } = await import('./tracing-sdk.js');
  return startTracingSdk(config, instanceId);
}
