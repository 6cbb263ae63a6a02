import type { ResourceKind } from '../api-version.js';

/**
 * The rules the schema alone cannot state, as documented in docs/resources.md. Enforced by
 * check-model-spec.ts, check-provider-spec.ts and check-route-spec.ts (bascule, the REST API and
 * the controller), not by the Kubernetes API server.
 */
export const CROSS_FIELD_RULES: Record<ResourceKind, string[]> = {
  Model: [
    '`autoscaling.minReplicas` <= `autoscaling.maxReplicas`; `minReplicas` may be 0 (scale to zero).',
    '`tensorParallelism` divides the GPU count of `gpus`.',
    '`vllm` options only with `engine: vllm`, `tgi` options only with `engine: tgi`.',
    'Quantization methods and dtypes the engine lacks are rejected (see `quantization`, `dtype`); TGI takes no forced dtype with quantization, and exl2 on TGI only on one GPU.',
    'Served names and LoRA adapter names are unique, and no adapter has a served name or alias of its base model; each `env` entry sets exactly one of `value` or `valueFrom`.',
  ],
  Provider: [
    'API keys only by Secret reference (`apiKeySecretRef`); an inline key, or a credential header in `headers`, is an error.',
    '`apiKeySecretRef` is required except for `openai-compatible`.',
    '`baseURL` is required for `azure-openai` and `openai-compatible`.',
    '`azure` and `models[].deployment` only with `type: azure-openai`.',
    'Model names are unique; prices and limits are non-negative.',
  ],
  Route: [
    'With `allowExternal: false` no target may name a `provider` (requests never leave the cluster; fail closed).',
    '`targets[].tier` only with `strategy: complexity`, which needs a target for each tier (or an untiered one).',
    '`complexity` only with `strategy: complexity`, and with `strongShare`, `minQuality` or both.',
    'Targets are unique, and so are the strengths of each target.',
  ],
};
