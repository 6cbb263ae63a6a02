import type { EngineMetricNames } from '../adapter/engine-adapter.js';

/**
 * TGI's Prometheus metrics, as of 3.3 (docs/source/reference/metrics.md; router/src/infer).
 * No labels on the gauges; TGI has no time-to-first-token histogram and no KV-cache ratio:
 * `tgi_batch_current_max_tokens` is the token budget the running batch holds.
 */
export const TGI_METRICS: EngineMetricNames = {
  running: 'tgi_batch_current_size',
  waiting: 'tgi_queue_size',
  kvCache: 'tgi_batch_current_max_tokens',
  requestDuration: 'tgi_request_duration',
  queueDuration: 'tgi_request_queue_duration',
  timePerOutputToken: 'tgi_request_mean_time_per_token_duration',
};
