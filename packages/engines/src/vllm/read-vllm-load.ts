import type { EngineLoad } from '../adapter/engine-adapter.js';
import { maxMetric, sumMetric, type PrometheusSample } from '../metrics/parse-prometheus-text.js';
import { VLLM_METRICS } from './vllm-metric-names.js';

/**
 * Load of a vLLM replica: running and waiting requests summed over its engines (one series per
 * data-parallel engine), KV-cache usage the fullest engine's. Reads the pre-v0.10 name
 * `vllm:gpu_cache_usage_perc` when the current one is absent.
 */
export function readVllmLoad(samples: readonly PrometheusSample[]): EngineLoad {
  const kv =
    maxMetric(samples, VLLM_METRICS.kvCache) ?? maxMetric(samples, 'vllm:gpu_cache_usage_perc');
  return {
    running: sumMetric(samples, VLLM_METRICS.running) ?? 0,
    waiting: sumMetric(samples, VLLM_METRICS.waiting) ?? 0,
    ...(kv !== undefined ? { kvCacheUsage: Math.min(1, Math.max(0, kv)) } : {}),
  };
}
