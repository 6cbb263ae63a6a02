import type { EngineRuntime } from './engine-runtime.js';

/** GET /v1/models as vLLM lists them: served names, then LoRA adapters with their parent. */
export function vllmModelList(runtime: EngineRuntime, created: number) {
  const { config } = runtime;
  const permission = (id: string) => [
    {
      id: `modelperm-${id}`,
      object: 'model_permission',
      created,
      allow_create_engine: false,
      allow_sampling: true,
      allow_logprobs: true,
      allow_search_indices: false,
      allow_view: true,
      allow_fine_tuning: false,
      organization: '*',
      group: null,
      is_blocking: false,
    },
  ];
  const base = config.servedModelNames.map((name) => ({
    id: name,
    object: 'model',
    created,
    owned_by: 'vllm',
    root: config.model,
    parent: null,
    max_model_len: config.maxModelLen,
    permission: permission(name),
  }));
  const loras = [...runtime.loras.values()].map((l) => ({
    id: l.name,
    object: 'model',
    created,
    owned_by: 'vllm',
    root: l.path,
    parent: l.parent,
    max_model_len: null,
    permission: permission(l.name),
  }));
  return { object: 'list', data: [...base, ...loras] };
}
