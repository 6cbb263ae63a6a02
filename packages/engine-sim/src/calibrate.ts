import { findGpuProfile, GPU_PROFILES, type GpuProfile } from './gpu-profiles.js';
import type { LatencyCoefficients } from './latency-model.js';

/** Published fits of vLLM serving Llama-3.1-8B at TP1 (µs per step, per prefill and decode token). */
export const REFERENCE_FITS: Readonly<Record<'h100' | 'a100', LatencyCoefficients>> = {
  h100: { b0: 5752.71, b1: 17.25, b2: 6.0 },
  a100: { b0: 16441.53, b1: 47.84, b2: 18.21 },
};

/** Parameter count (billions) of the model the reference fits were measured on. */
export const REFERENCE_PARAMS_B = 8;

/** Parallel efficiency exponent: TP=t divides the step terms by t^0.85 (all-reduce overhead). */
export const TP_EXPONENT = 0.85;

/** b0 never falls below this share of the 8B figure (launch and scheduling overhead). */
export const B0_FLOOR_SHARE = 0.25;

export interface CalibrationInput {
  /** GPU name ('h100', 'nvidia-a100:2', 'NVIDIA-L4'...). */
  gpu: string;
  /** Model size in billions of parameters. */
  paramsB: number;
  /** Tensor parallelism (GPUs per replica). */
  tensorParallel?: number;
}

export interface Calibration {
  gpu: GpuProfile;
  paramsB: number;
  tensorParallel: number;
  coefficients: LatencyCoefficients;
}

export class UnknownGpuError extends Error {
  constructor(readonly gpu: string) {
    super(`unknown GPU type "${gpu}" (known: ${GPU_PROFILES.map((p) => p.key).join(', ')})`);
    this.name = 'UnknownGpuError';
  }
}

/**
 * Latency coefficients for a GPU type, model size and tensor parallelism. The scaling rule:
 *
 * 1. GPU: H100 and A100 use the published Llama-3.1-8B fits ({@link REFERENCE_FITS}). Any other
 *    GPU starts from the H100 fit with the memory-bound terms b0 and b2 multiplied by
 *    (H100 bandwidth / its bandwidth) and the compute-bound b1 by (H100 TFLOP/s / its TFLOP/s).
 * 2. Model size: with r = paramsB / 8, all three terms are multiplied by r (weights read per
 *    step, FLOPs per prompt token and per decoded token all grow with the parameter count);
 *    b0 never drops below 25% of its 8B value.
 * 3. Tensor parallelism t: all three terms are divided by t^0.85.
 */
export function calibrate(input: CalibrationInput): Calibration {
  const gpu = findGpuProfile(input.gpu);
  if (!gpu) throw new UnknownGpuError(input.gpu);
  if (!(input.paramsB > 0)) throw new RangeError(`paramsB must be > 0 (got ${input.paramsB})`);
  const tp = input.tensorParallel ?? 1;
  if (!Number.isInteger(tp) || tp < 1)
    throw new RangeError(`tensorParallel must be an integer >= 1 (got ${tp})`);

  const base = gpuBaseFit(gpu);
  const r = input.paramsB / REFERENCE_PARAMS_B;
  const tpDiv = Math.pow(tp, TP_EXPONENT);
  const coefficients: LatencyCoefficients = {
    b0: Math.max(base.b0 * r, base.b0 * B0_FLOOR_SHARE) / tpDiv,
    b1: (base.b1 * r) / tpDiv,
    b2: (base.b2 * r) / tpDiv,
  };
  return { gpu, paramsB: input.paramsB, tensorParallel: tp, coefficients };
}

function gpuBaseFit(gpu: GpuProfile): LatencyCoefficients {
  if (gpu.key === 'h100' || gpu.key === 'a100') return REFERENCE_FITS[gpu.key];
  const h100 = GPU_PROFILES.find((p) => p.key === 'h100')!;
  const mem = h100.bandwidthTBs / gpu.bandwidthTBs;
  const compute = h100.tflops / gpu.tflops;
  const f = REFERENCE_FITS.h100;
  return { b0: f.b0 * mem, b1: f.b1 * compute, b2: f.b2 * mem };
}
