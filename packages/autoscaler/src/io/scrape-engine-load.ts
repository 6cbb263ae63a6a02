import { engineAdapter, parsePrometheusText } from '@bascule/engines';
import type { ScalableModel } from '../loop/autoscaler-ports.js';
import type { EngineObservation } from '../policy/slo-signals.js';
import { readLatencyCounters, readTokenCounters } from './read-latency-counters.js';

export interface ScrapeOptions {
  /** Per-pod timeout (default 1 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Reads each ready pod's `/metrics` and turns it into load with the engine adapter's reader,
 * with the pod's name and its latency counters (TTFT within the Model's objective, queue wait,
 * prompt and output tokens) for the policy to difference between decisions. A pod that does not answer in time is left
 * out (its requests still show in the gateways' in-flight count).
 */
export async function scrapeEngineLoad(
  model: ScalableModel,
  options: ScrapeOptions = {},
): Promise<EngineObservation[]> {
  const adapter = engineAdapter(model.model.spec.engine);
  const doFetch = options.fetch ?? fetch;
  const results = await Promise.all(
    model.readyPods.map(async (pod) => {
      const host = pod.ip.includes(':') ? `[${pod.ip}]` : pod.ip;
      try {
        const res = await doFetch(`http://${host}:${pod.port}${adapter.metricsPath}`, {
          signal: AbortSignal.timeout(options.timeoutMs ?? 1_000),
        });
        if (!res.ok) return undefined;
        const samples = parsePrometheusText(await res.text());
        const counters = readLatencyCounters(
          samples,
          adapter.metricNames,
          model.model.spec.autoscaling.slo.ttftSeconds,
        );
        const tokens = readTokenCounters(samples, model.model.spec.engine);
        const load: EngineObservation = { ...adapter.readLoad(samples), pod: pod.name };
        if (counters) load.counters = tokens ? { ...counters, ...tokens } : counters;
        return load;
      } catch {
        return undefined;
      }
    }),
  );
  return results.filter((r): r is EngineObservation => r !== undefined);
}
