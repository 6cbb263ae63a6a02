import { KNOWN_GPU_TYPES } from '@bascule/spec';
import { describe, expect, it } from 'vitest';
import { findGpuProfile } from './gpu-profiles.js';
import { kvCapacityTokens } from './kv-capacity.js';
import { parseParamsB } from './model-size.js';

describe('findGpuProfile', () => {
  it('knows every GPU type of the spec, by type and by nvidia.com/gpu.product', () => {
    for (const [type, { product, memoryGiB }] of Object.entries(KNOWN_GPU_TYPES)) {
      expect(findGpuProfile(type)?.memoryGiB, type).toBe(memoryGiB);
      expect(findGpuProfile(product)?.memoryGiB, product).toBe(memoryGiB);
    }
    expect(findGpuProfile('l4')?.key).toBe('l4');
    expect(findGpuProfile('l40s')?.key).toBe('l40s');
    expect(findGpuProfile('mi300x')).toBeUndefined();
  });
});

describe('model size and KV capacity', () => {
  it('reads parameter counts from model names', () => {
    expect(parseParamsB('meta-llama/Llama-3.1-8B-Instruct')).toBe(8);
    expect(parseParamsB('Qwen/Qwen2.5-0.5B-Instruct')).toBe(0.5);
    expect(parseParamsB('mistralai/Mixtral-8x7B-v0.1')).toBe(56);
    expect(parseParamsB('HuggingFaceTB/SmolLM2-135M')).toBeCloseTo(0.135, 9);
    expect(parseParamsB('gpt2')).toBeUndefined();
  });

  it('sizes the KV cache like vLLM: memory × utilisation − weights, in 16-token blocks', () => {
    const h100 = findGpuProfile('h100')!;
    const tokens = kvCapacityTokens({
      gpu: h100,
      paramsB: 8,
      tensorParallel: 1,
      gpuMemoryUtilization: 0.9,
    });
    const expected = Math.floor((80 * 2 ** 30 * 0.9 - 8e9 * 2 - 1.5 * 2 ** 30) / 131072);
    expect(tokens).toBe(expected - (expected % 16));
    expect(
      kvCapacityTokens({
        gpu: findGpuProfile('l4')!,
        paramsB: 70,
        tensorParallel: 1,
        gpuMemoryUtilization: 0.9,
      }),
    ).toBe(0);
  });
});
