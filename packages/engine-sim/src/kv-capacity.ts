import type { GpuProfile } from './gpu-profiles.js';

/** KV-cache bytes per token of Llama-3.1-8B: 32 layers · 8 KV heads · 128 dims · (K,V) · 2 bytes. */
export const REFERENCE_KV_BYTES_PER_TOKEN = 131072;

/** Memory per GPU held back for activations and CUDA graphs (bytes). */
export const ACTIVATION_RESERVE_BYTES = 1.5 * 2 ** 30;

/** vLLM's KV block size in tokens. */
export const KV_BLOCK_TOKENS = 16;

/**
 * KV bytes per token for a model of `paramsB` billion parameters: the 8B figure times
 * (paramsB/8)^0.42 (Llama-3.1-70B has 320 KiB/token against 128 KiB for 8B).
 */
export function kvBytesPerToken(paramsB: number): number {
  return REFERENCE_KV_BYTES_PER_TOKEN * Math.pow(paramsB / 8, 0.42);
}

/** Bytes per weight for a `--dtype` / `--quantization` pair. */
export function bytesPerParam(quantization: string | undefined, dtype: string | undefined): number {
  const q = (quantization ?? '').toLowerCase();
  if (/awq|gptq|marlin|bitsandbytes|nf4|fp4|exl2|gguf|eetq/.test(q)) return 0.55;
  if (/fp8|int8|compressed/.test(q)) return 1;
  if (dtype === 'float' || dtype === 'float32') return 4;
  return 2;
}

export interface KvCapacityInput {
  gpu: GpuProfile;
  paramsB: number;
  tensorParallel: number;
  gpuMemoryUtilization: number;
  quantization?: string;
  dtype?: string;
}

/**
 * KV-cache capacity in tokens the way vLLM sizes it: GPU memory × utilisation × TP, minus the
 * weights and an activation reserve per GPU, divided by the KV bytes per token, rounded down
 * to whole 16-token blocks. Zero or less means the model does not fit.
 */
export function kvCapacityTokens(input: KvCapacityInput): number {
  const total = input.gpu.memoryGiB * 2 ** 30 * input.gpuMemoryUtilization * input.tensorParallel;
  const weights = input.paramsB * 1e9 * bytesPerParam(input.quantization, input.dtype);
  const free = total - weights - ACTIVATION_RESERVE_BYTES * input.tensorParallel;
  const tokens = Math.floor(free / kvBytesPerToken(input.paramsB));
  return tokens > 0 ? tokens - (tokens % KV_BLOCK_TOKENS) : 0;
}
