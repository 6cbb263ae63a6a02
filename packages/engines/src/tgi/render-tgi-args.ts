import { resolveModelSpec, type Model } from '@bascule/spec';
import type { WeightsPlan } from '../render/plan-weights.js';

/**
 * `text-generation-launcher` arguments for a Model. Flag names as in TGI 3.3
 * (docs/source/reference/launcher.md; launcher/src/main.rs, clap). TGI answers to any `model`
 * in OpenAI requests, so served names need no flag: the gateway maps names to endpoints.
 */
export function renderTgiArgs(model: Model, weights: WeightsPlan, port: number): string[] {
  const { spec } = model;
  const resolved = resolveModelSpec(model.metadata.name, spec);
  const tgi = spec.tgi;
  const args = ['--model-id', weights.modelRef];
  if (weights.revision) args.push('--revision', weights.revision);
  // HOSTNAME is the pod name in Kubernetes, and clap would read it: bind every address.
  args.push('--hostname', '0.0.0.0', '--port', String(port));
  // TGI has no data parallelism: one launcher runs one copy sharded over --num-shard GPUs.
  args.push('--num-shard', String(resolved.tensorParallelism));
  if (spec.maxContextLength !== undefined) {
    args.push('--max-total-tokens', String(spec.maxContextLength));
  }
  const maxInput =
    tgi?.maxInputTokens ??
    (spec.maxContextLength !== undefined ? spec.maxContextLength - 1 : undefined);
  if (maxInput !== undefined) args.push('--max-input-tokens', String(maxInput));
  if (spec.quantization) args.push('--quantize', spec.quantization);
  // --dtype "cannot be used with --quantize" (launcher.md), and has no "auto".
  else if (spec.dtype !== 'auto') args.push('--dtype', spec.dtype);
  if (tgi?.cudaMemoryFraction !== undefined)
    args.push('--cuda-memory-fraction', String(tgi.cudaMemoryFraction));
  args.push('--max-concurrent-requests', String(spec.maxConcurrency));
  if (tgi?.maxBatchPrefillTokens !== undefined)
    args.push('--max-batch-prefill-tokens', String(tgi.maxBatchPrefillTokens));
  if (tgi?.maxBatchTotalTokens !== undefined)
    args.push('--max-batch-total-tokens', String(tgi.maxBatchTotalTokens));
  if (tgi?.speculate !== undefined) args.push('--speculate', String(tgi.speculate));
  if (weights.adapters.length > 0) {
    // `name=path` pairs, comma-separated; clients pick one with its name.
    args.push('--lora-adapters', weights.adapters.map((a) => `${a.name}=${a.ref}`).join(','));
  }
  // Keep usage reports inside the cluster.
  args.push('--usage-stats', 'off');
  args.push(...(spec.extraArgs ?? []));
  return args;
}
