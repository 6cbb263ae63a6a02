import { defineEngineAdapter } from '../adapter/define-engine-adapter.js';
import { readVllmLoad } from './read-vllm-load.js';
import { renderVllmArgs } from './render-vllm-args.js';
import { VLLM_METRICS } from './vllm-metric-names.js';
import { RUNTIME_LORA_ENV, vllmLoraEnabled } from './vllm-lora.js';

/** The official vLLM OpenAI-compatible server image this adapter targets (v0.11.0). */
export const VLLM_IMAGE = 'vllm/vllm-openai:v0.11.0';

/**
 * vLLM: `vllm serve` on port 8000, health at /health (200 once the engine is up), metrics at
 * /metrics. The command is set explicitly because the image's entrypoint changed across
 * releases (python -m vllm.entrypoints.openai.api_server before, `vllm serve` since).
 */
export const vllmAdapter = defineEngineAdapter({
  engine: 'vllm',
  defaultImage: VLLM_IMAGE,
  port: 8000,
  healthPath: '/health',
  metricsPath: '/metrics',
  metricNames: VLLM_METRICS,
  streamsS3: true,
  command: ['vllm', 'serve'],
  renderArgs: renderVllmArgs,
  // Keep usage reports inside the cluster (vllm/usage/usage_lib.py honours both).
  renderEnv: (model) => [
    { name: 'VLLM_NO_USAGE_STATS', value: '1' },
    { name: 'DO_NOT_TRACK', value: '1' },
    // the runtime adapter API the controller loads and unloads adapters through
    ...(vllmLoraEnabled(model) ? [{ name: RUNTIME_LORA_ENV, value: 'True' }] : []),
  ],
  readLoad: readVllmLoad,
});
