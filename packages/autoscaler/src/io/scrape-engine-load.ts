import { engineAdapter, parsePrometheusText, type EngineLoad } from '@bascule/engines';
import type { ScalableModel } from '../loop/autoscaler-ports.js';

export interface ScrapeOptions {
  /** Per-pod timeout (default 1 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Reads each ready pod's `/metrics` and turns it into load with the engine adapter's reader.
 * A pod that does not answer in time is left out (its requests still show in the gateways'
 * in-flight count).
 */
export async function scrapeEngineLoad(
  model: ScalableModel,
  options: ScrapeOptions = {},
): Promise<EngineLoad[]> {
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
        return adapter.readLoad(parsePrometheusText(await res.text()));
      } catch {
        return undefined;
      }
    }),
  );
  return results.filter((r): r is EngineLoad => r !== undefined);
}
