import { z } from 'zod';

/** Engines a Model can run on. */
export const ENGINES = ['vllm', 'tgi'] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * Quantization methods, with the engines that accept each (vLLM --quantization; TGI --quantize,
 * launcher/src/main.rs `enum Quantization`).
 */
export const QUANTIZATIONS = {
  awq: ['vllm', 'tgi'],
  gptq: ['vllm', 'tgi'],
  fp8: ['vllm', 'tgi'],
  bitsandbytes: ['vllm', 'tgi'],
  marlin: ['vllm', 'tgi'],
  'compressed-tensors': ['vllm', 'tgi'],
  gguf: ['vllm'],
  'bitsandbytes-nf4': ['tgi'],
  'bitsandbytes-fp4': ['tgi'],
  eetq: ['tgi'],
  exl2: ['tgi'],
} as const satisfies Record<string, readonly Engine[]>;
export type Quantization = keyof typeof QUANTIZATIONS;

/** Weight/activation dtypes, with the engines that accept each. */
export const DTYPES = {
  auto: ['vllm', 'tgi'],
  float16: ['vllm', 'tgi'],
  bfloat16: ['vllm', 'tgi'],
  float32: ['vllm'],
} as const satisfies Record<string, readonly Engine[]>;
export type Dtype = keyof typeof DTYPES;

/** Options only vLLM understands (`spec.vllm`). */
export const VllmOptionsSchema = z.strictObject({
  gpuMemoryUtilization: z
    .number()
    .gt(0)
    .max(1)
    .default(0.9)
    .describe("Fraction of each GPU's memory vLLM may use (--gpu-memory-utilization)."),
  enablePrefixCaching: z
    .boolean()
    .optional()
    .describe("Automatic prefix caching (--enable-prefix-caching); vLLM's default when omitted."),
  maxNumBatchedTokens: z
    .int()
    .positive()
    .optional()
    .describe('Token budget of one scheduler step (--max-num-batched-tokens).'),
  kvCacheDtype: z
    .enum(['auto', 'fp8', 'fp8_e4m3', 'fp8_e5m2'])
    .optional()
    .describe('KV-cache dtype (--kv-cache-dtype); fp8 halves KV memory.'),
  enforceEager: z
    .boolean()
    .optional()
    .describe('Disable CUDA graphs (--enforce-eager): faster start, slower decode.'),
  enableExpertParallel: z
    .boolean()
    .optional()
    .describe('Expert parallelism for mixture-of-experts models (--enable-expert-parallel).'),
  toolCallParser: z
    .string()
    .regex(/^[a-z0-9_]+$/, {
      error: 'must be a vLLM tool parser name such as hermes or llama3_json',
    })
    .optional()
    .describe(
      'Tool-call parser (--tool-call-parser, enables --enable-auto-tool-choice), e.g. hermes, llama3_json, mistral.',
    ),
  reasoningParser: z
    .string()
    .regex(/^[a-z0-9_]+$/, { error: 'must be a vLLM reasoning parser name such as qwen3' })
    .optional()
    .describe('Reasoning parser (--reasoning-parser), e.g. qwen3, deepseek_r1.'),
  maxLoraRank: z
    .int()
    .positive()
    .optional()
    .describe('Highest LoRA rank to support (--max-lora-rank); needed for adapters above 16.'),
  maxLoras: z
    .int()
    .min(1)
    .max(64)
    .optional()
    .describe(
      'LoRA adapters one batch may hold (--max-loras, default 4). Setting it enables LoRA even with no adapters yet, so the first adapter is added without a rollout.',
    ),
});
export type VllmOptions = z.output<typeof VllmOptionsSchema>;

/** Options only TGI understands (`spec.tgi`). */
export const TgiOptionsSchema = z.strictObject({
  cudaMemoryFraction: z
    .number()
    .gt(0)
    .max(1)
    .optional()
    .describe("Fraction of each GPU's memory TGI may use (--cuda-memory-fraction)."),
  maxInputTokens: z
    .int()
    .positive()
    .optional()
    .describe('Longest prompt accepted (--max-input-tokens); below maxContextLength.'),
  maxBatchPrefillTokens: z
    .int()
    .positive()
    .optional()
    .describe('Token budget of one prefill batch (--max-batch-prefill-tokens).'),
  maxBatchTotalTokens: z
    .int()
    .positive()
    .optional()
    .describe('Tokens across a whole batch (--max-batch-total-tokens); inferred by TGI if unset.'),
  kvCacheDtype: z
    .enum(['fp8_e4m3fn', 'fp8_e5m2'])
    .optional()
    .describe('KV-cache dtype (--kv-cache-dtype); the model dtype when omitted.'),
  speculate: z
    .int()
    .positive()
    .optional()
    .describe('Speculative decoding with n-gram or Medusa heads (--speculate).'),
});
export type TgiOptions = z.output<typeof TgiOptionsSchema>;
