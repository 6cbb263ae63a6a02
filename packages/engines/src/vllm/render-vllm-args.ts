import { resolveModelSpec, type Model } from '@bascule/spec';
import type { WeightsPlan } from '../render/plan-weights.js';
import { vllmLoraEnabled, vllmMaxLoras } from './vllm-lora.js';

/**
 * `vllm serve` arguments for a Model. Flag names as in vLLM v0.11.0 (`vllm serve --help`;
 * vllm/engine/arg_utils.py EngineArgs and vllm/entrypoints/openai/cli_args.py):
 * the model is the positional argument; lists (--served-model-name, --lora-modules) take
 * several words; booleans are BooleanOptionalAction (--enable-x / --no-enable-x).
 */
export function renderVllmArgs(model: Model, weights: WeightsPlan, port: number): string[] {
  const { spec } = model;
  const resolved = resolveModelSpec(model.metadata.name, spec);
  const vllm = spec.vllm;
  const args = [weights.modelRef, '--host', '0.0.0.0', '--port', String(port)];
  args.push('--served-model-name', ...resolved.servedNames);
  if (weights.revision) args.push('--revision', weights.revision);
  // s3:// weights are streamed straight into GPU memory by the Run:ai model streamer.
  if (weights.streamFromS3) args.push('--load-format', 'runai_streamer');
  args.push('--tensor-parallel-size', String(resolved.tensorParallelism));
  // GPUs beyond one model copy run more copies in the same pod (internal data parallelism).
  const copies = resolved.gpuCount / resolved.tensorParallelism;
  if (copies > 1) args.push('--data-parallel-size', String(copies));
  if (spec.maxContextLength !== undefined)
    args.push('--max-model-len', String(spec.maxContextLength));
  if (spec.quantization) args.push('--quantization', spec.quantization);
  if (spec.dtype !== 'auto') args.push('--dtype', spec.dtype);
  args.push('--gpu-memory-utilization', String(vllm?.gpuMemoryUtilization ?? 0.9));
  args.push('--max-num-seqs', String(spec.maxConcurrency));
  if (vllm?.enablePrefixCaching === true) args.push('--enable-prefix-caching');
  if (vllm?.enablePrefixCaching === false) args.push('--no-enable-prefix-caching');
  if (vllm?.maxNumBatchedTokens !== undefined)
    args.push('--max-num-batched-tokens', String(vllm.maxNumBatchedTokens));
  if (vllm?.kvCacheDtype) args.push('--kv-cache-dtype', vllm.kvCacheDtype);
  if (vllm?.enforceEager) args.push('--enforce-eager');
  if (vllm?.enableExpertParallel) args.push('--enable-expert-parallel');
  if (vllm?.toolCallParser)
    args.push('--enable-auto-tool-choice', '--tool-call-parser', vllm.toolCallParser);
  if (vllm?.reasoningParser) args.push('--reasoning-parser', vllm.reasoningParser);
  if (vllmLoraEnabled(model)) {
    // Adapters are loaded at run time by the controller (POST /v1/load_lora_adapter), not
    // listed with --lora-modules: the template, and so the pods, do not change with them.
    // --max-loras bounds the distinct adapters in one batch; it does not depend on how many
    // adapters are declared, for the same reason.
    args.push('--enable-lora', '--max-loras', String(vllmMaxLoras(model)));
    if (vllm?.maxLoraRank !== undefined) args.push('--max-lora-rank', String(vllm.maxLoraRank));
  }
  args.push(...(spec.extraArgs ?? []));
  return args;
}
