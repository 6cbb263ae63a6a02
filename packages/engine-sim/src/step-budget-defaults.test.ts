import { describe, expect, it } from 'vitest';
import { EngineRuntime } from './engine-runtime.js';
import { findGpuProfile } from './gpu-profiles.js';
import { parseEngineArgs } from './parse-engine-args.js';
import {
  tgiDefaultMaxBatchPrefillTokens,
  vllmDefaultMaxNumBatchedTokens,
} from './step-budget-defaults.js';
import { VirtualClock } from './virtual-clock.js';

const budget = (argv: string[], gpu: string) =>
  new EngineRuntime({
    config: parseEngineArgs(argv),
    gpu,
    clock: new VirtualClock(),
    timeScale: 1,
    tokenizer: 'approx',
  }).maxNumBatchedTokens;

describe('the step token budget', () => {
  it("is vLLM v0.11's API-server default: 8192 on >= 70 GiB GPUs other than the A100, else 2048", () => {
    expect(vllmDefaultMaxNumBatchedTokens(findGpuProfile('h100')!)).toBe(8192);
    expect(vllmDefaultMaxNumBatchedTokens(findGpuProfile('NVIDIA-H200')!)).toBe(8192);
    expect(vllmDefaultMaxNumBatchedTokens(findGpuProfile('nvidia-a100')!)).toBe(2048);
    expect(vllmDefaultMaxNumBatchedTokens(findGpuProfile('l4')!)).toBe(2048);
    expect(budget(['meta-llama/Llama-3.1-8B-Instruct'], 'h100')).toBe(8192);
    expect(budget(['meta-llama/Llama-3.1-8B-Instruct'], 'nvidia-a100')).toBe(2048);
  });

  it('follows --max-num-batched-tokens, and vLLM validation of it', () => {
    expect(budget(['m-8B', '--max-num-batched-tokens', '512'], 'h100')).toBe(512);
    expect(budget(['m-8B', '--max-num-batched-tokens', '16k'], 'a100')).toBe(16000);
    expect(() => parseEngineArgs(['m', '--max-num-batched-tokens', '100'])).toThrow(
      'ValueError: max_num_batched_tokens (100) must be greater than or equal to max_num_seqs (256).',
    );
    expect(() =>
      parseEngineArgs(['m', '--no-enable-chunked-prefill', '--max-num-batched-tokens', '4096']),
    ).toThrow(/max_num_batched_tokens \(4096\) is smaller than max_model_len \(8192\)/);
    // without chunked prefill the default budget holds a whole context
    expect(
      budget(['m-8B', '--no-enable-chunked-prefill', '--max-model-len', '16384'], 'h100'),
    ).toBe(16384);
  });

  it("is TGI 3.3's compute-optimal --max-batch-prefill-tokens unless given", () => {
    // FP16 FLOP/s over the model's FLOPs per token (TGI's figures for Llama-3.1-8B)
    expect(budget(['--model-id', 'meta-llama/Llama-3.1-8B-Instruct'], 'h100')).toBe(59870);
    expect(budget(['--model-id', 'meta-llama/Llama-3.1-8B-Instruct'], 'a100')).toBe(20755);
    expect(budget(['--model-id', 'x-8B', '--max-batch-prefill-tokens', '4096'], 'h100')).toBe(4096);
    // unknown compute (TGI lists no B200): 4096
    expect(
      tgiDefaultMaxBatchPrefillTokens({
        gpu: findGpuProfile('b200')!,
        paramsB: 8,
        shards: 1,
        cudaMemoryFraction: 1,
      }),
    ).toBe(4096);
    expect(() =>
      parseEngineArgs([
        '--model-id',
        'x',
        '--max-batch-prefill-tokens',
        '9000',
        '--max-batch-total-tokens',
        '8192',
      ]),
    ).toThrow(/`max_batch_prefill_tokens` must be <= `max_batch_total_tokens`/);
  });
});
