import type { Model } from '@bascule/spec';
import { planWeights, type AdapterRef } from '../render/plan-weights.js';

/** --max-loras when the Model does not set vllm.maxLoras (vLLM's own default is 1). */
export const DEFAULT_MAX_LORAS = 4;

/** The environment flag that makes vLLM serve /v1/load_lora_adapter and /v1/unload_lora_adapter. */
export const RUNTIME_LORA_ENV = 'VLLM_ALLOW_RUNTIME_LORA_UPDATING';

/**
 * Whether a vLLM Model runs with LoRA on: it declares adapters or sets vllm.maxLoras. Adapters
 * are then loaded at run time through vLLM's adapter API, never named on the command line, so
 * adding or removing one leaves the pod template (and the pods) as they are.
 */
export function vllmLoraEnabled(model: Model): boolean {
  return (model.spec.loraAdapters?.length ?? 0) > 0 || model.spec.vllm?.maxLoras !== undefined;
}

/** --max-loras of a vLLM Model with LoRA on. */
export function vllmMaxLoras(model: Model): number {
  return model.spec.vllm?.maxLoras ?? DEFAULT_MAX_LORAS;
}

/**
 * The adapters a vLLM replica should have loaded, with the path the engine loads each from
 * (hf:// a Hub id, pvc:// a path under the pod's read-only mount, s3:// the copy the init
 * container made at pod start).
 */
export function desiredAdapters(model: Model): AdapterRef[] {
  return planWeights(model.spec, { streamsS3: true }).adapters;
}
