import type { EngineRuntime } from './engine-runtime.js';

/** The TGI version engine-sim imitates (/info, system_fingerprint, metric names). */
export const TGI_VERSION = '3.3.4';

/** GET /info as TGI's router answers it. */
export function tgiInfo(runtime: EngineRuntime) {
  const { config } = runtime;
  return {
    model_id: config.model,
    model_sha: null,
    model_pipeline_tag: 'text-generation',
    max_concurrent_requests: config.maxConcurrentRequests ?? 128,
    max_best_of: 2,
    max_stop_sequences: 4,
    max_input_tokens: config.maxInputTokens ?? config.maxModelLen - 1,
    max_total_tokens: config.maxModelLen,
    validation_workers: 2,
    max_client_batch_size: 4,
    router: 'text-generation-router',
    version: TGI_VERSION,
    sha: null,
    docker_label: null,
  };
}
