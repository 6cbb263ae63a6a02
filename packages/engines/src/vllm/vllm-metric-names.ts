import type { EngineMetricNames } from '../adapter/engine-adapter.js';

/**
 * vLLM's Prometheus metrics, as of v0.11.0 (vllm/v1/metrics/loggers.py, PrometheusStatLogger).
 * Every series carries `model_name` and `engine` labels.
 */
export const VLLM_METRICS: EngineMetricNames = {
  running: 'vllm:num_requests_running',
  waiting: 'vllm:num_requests_waiting',
  kvCache: 'vllm:kv_cache_usage_perc',
  requestDuration: 'vllm:e2e_request_latency_seconds',
  queueDuration: 'vllm:request_queue_time_seconds',
  timePerOutputToken: 'vllm:time_per_output_token_seconds',
  timeToFirstToken: 'vllm:time_to_first_token_seconds',
};
