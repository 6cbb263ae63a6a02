import type { GpuProfile } from './gpu-profiles.js';
import { bytesPerParam, kvBytesPerToken } from './kv-capacity.js';

/**
 * vLLM v0.11's default `--max-num-batched-tokens` for the OpenAI API server
 * (vllm/engine/arg_utils.py, EngineArgs.get_batch_defaults, UsageContext.OPENAI_API_SERVER):
 * 8192 on GPUs with at least 70 GiB that are not A100s (H100, H200, B200...), else 2048 (the
 * A100 is excluded on purpose: a large budget lowered its throughput, vLLM PR #17885).
 */
export function vllmDefaultMaxNumBatchedTokens(gpu: GpuProfile): number {
  return gpu.memoryGiB >= 70 && gpu.key !== 'a100' ? 8192 : 2048;
}

/**
 * Dense FP16 FLOP/s per GPU as TGI's launcher lists them (launcher/src/main.rs,
 * ComputeType::f16_flop, TGI v3.3.4). A GPU missing here is "unknown compute" to TGI.
 */
const TGI_F16_TFLOPS: Readonly<Record<string, number>> = {
  t4: 65,
  l4: 121,
  l40s: 363,
  a10g: 125,
  a100: 312,
  h100: 900,
  h200: 989,
};

/** FLOPs per token TGI's `Config::flop` gives Llama-3.1-8B (its linear layers); scaled by size. */
const TGI_FLOP_PER_TOKEN_8B = 15_032_385_536;

export interface TgiPrefillDefaultInput {
  gpu: GpuProfile;
  paramsB: number;
  shards: number;
  cudaMemoryFraction: number;
  quantization?: string;
}

/**
 * TGI 3.3's default `--max-batch-prefill-tokens` (launcher/src/main.rs, v3.3.4): the
 * "compute optimal" size, GPU FP16 FLOP/s × shards ÷ the model's FLOPs per token (4096 when
 * the GPU is unknown or the figure is ≤ 100), capped by the tokens the free VRAM could hold
 * (`vram_maximum`: memory × fraction × 0.95 minus the weights, ÷ KV plus MLP activation bytes
 * per token, which TGI puts at about twice the KV bytes for Llama models; skipped when
 * quantized, as TGI does). TGI also caps it by the model's max_position_embeddings, which the
 * simulator does not know.
 */
export function tgiDefaultMaxBatchPrefillTokens(input: TgiPrefillDefaultInput): number {
  const tflops = TGI_F16_TFLOPS[input.gpu.key];
  const modelFlop = TGI_FLOP_PER_TOKEN_8B * (input.paramsB / 8);
  const optimal =
    tflops !== undefined ? Math.floor((tflops * 1e12 * input.shards) / modelFlop) : undefined;
  let value = optimal !== undefined && optimal > 100 ? optimal : 4096;
  if (!input.quantization) {
    const available =
      input.gpu.memoryGiB * 2 ** 30 * input.cudaMemoryFraction * 0.95 * input.shards;
    const weights = input.paramsB * 1e9 * bytesPerParam(undefined, undefined);
    if (available > weights) {
      const vramMaximum = Math.floor((available - weights) / (2 * kvBytesPerToken(input.paramsB)));
      value = Math.min(value, vramMaximum);
    }
  }
  return value;
}
