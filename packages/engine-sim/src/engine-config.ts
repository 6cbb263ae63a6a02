import type { JudgeLabels, QualityTier } from './judge/judge-labels.js';
import type { FaultSettings } from './fault-settings.js';
import type { OutputLengthSpec } from './output-length.js';

export type EngineKind = 'vllm' | 'tgi';

export interface LoraModule {
  name: string;
  path: string;
  baseModelName?: string;
}

/** Everything engine-sim takes from a vLLM or TGI command line, normalised. */
export interface EngineConfig {
  engine: EngineKind;
  /** Model path or Hub id (`--model`, the `vllm serve` positional, or TGI's `--model-id`). */
  model: string;
  /** Names accepted in `"model"`; the first is reported (vLLM `--served-model-name`). */
  servedModelNames: string[];
  host?: string;
  port?: number;
  /** Cap on sequences in the running batch. */
  maxNumSeqs: number;
  /** TGI `--max-concurrent-requests`: beyond it requests get 429. */
  maxConcurrentRequests?: number;
  /** Context length: prompt + output tokens (vLLM `--max-model-len`, TGI `--max-total-tokens`). */
  maxModelLen: number;
  /** TGI `--max-input-tokens`. */
  maxInputTokens?: number;
  /** KV-cache capacity override in tokens (TGI `--max-batch-total-tokens`). */
  kvCapacityTokens?: number;
  /**
   * Tokens one scheduler step may compute when given on the command line (vLLM
   * `--max-num-batched-tokens`, TGI `--max-batch-prefill-tokens`); otherwise the engine's
   * default for the GPU (see step-budget-defaults.ts).
   */
  maxNumBatchedTokens?: number;
  /** Prefix caching (vLLM V1 and TGI 3: on unless `--no-enable-prefix-caching`). */
  enablePrefixCaching?: boolean;
  /** vLLM chunked prefill (V1: on unless `--no-enable-chunked-prefill`). */
  enableChunkedPrefill?: boolean;
  tensorParallel: number;
  /** vLLM --data-parallel-size: engine copies in the server (KV capacity scales with it). */
  dataParallel?: number;
  gpuMemoryUtilization: number;
  dtype?: string;
  quantization?: string;
  enableLora: boolean;
  /** vLLM --enable-auto-tool-choice (with --tool-call-parser): the model may call tools. */
  autoToolChoice?: boolean;
  loraModules: LoraModule[];
  /** vLLM --max-loras (default 1): distinct adapters in one batch (GPU adapter slots). */
  maxLoras?: number;
  /**
   * VLLM_ALLOW_RUNTIME_LORA_UPDATING=True in the environment: POST /v1/load_lora_adapter and
   * /v1/unload_lora_adapter exist.
   */
  runtimeLoraUpdating?: boolean;
  seed: number;
  /** Simulation-only settings (flags no real engine has, all ignored by a real one's users). */
  sim: SimSettings;
}

export interface SimSettings {
  gpu?: string;
  paramsB?: number;
  timeScale?: number;
  loadSeconds?: number;
  /** `--lora-load-seconds`: model seconds a runtime adapter load takes (default 2). */
  loraLoadSeconds?: number;
  outputLength: OutputLengthSpec;
  faults: FaultSettings;
  /** `--judge-labels FILE` (`--quality-tier`, default weak): the simulated judge. */
  judge?: { labels: JudgeLabels; tier: QualityTier };
}
