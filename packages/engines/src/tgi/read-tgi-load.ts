import type { EngineLoad, ReadLoadContext } from '../adapter/engine-adapter.js';
import { sumMetric, type PrometheusSample } from '../metrics/parse-prometheus-text.js';
import { TGI_METRICS } from './tgi-metric-names.js';

/**
 * Load of a TGI replica: the running batch size and the queue. KV usage is the running batch's
 * token budget over --max-batch-total-tokens, when the caller knows it (TGI's /info reports it).
 */
export function readTgiLoad(
  samples: readonly PrometheusSample[],
  context: ReadLoadContext = {},
): EngineLoad {
  const tokens = sumMetric(samples, TGI_METRICS.kvCache);
  const total = context.maxBatchTotalTokens;
  return {
    running: sumMetric(samples, TGI_METRICS.running) ?? 0,
    waiting: sumMetric(samples, TGI_METRICS.waiting) ?? 0,
    ...(tokens !== undefined && total !== undefined && total > 0
      ? { kvCacheUsage: Math.min(1, Math.max(0, tokens / total)) }
      : {}),
  };
}
