import type { ResourceSnapshot } from '../resources/resource-source.js';
import type { Principal } from '../proxy/principal.js';

export interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  /** A LoRA adapter: the Model it runs on (as vLLM lists an adapter's parent). */
  parent?: string;
}

/**
 * GET /v1/models: Routes (and their aliases), Models (and aliases), their LoRA adapters (with
 * the base Model as `parent`) and provider/model names the caller may use; with privacy
 * strict, provider models are left out.
 */
export function listModels(
  snap: ResourceSnapshot,
  principal: Principal,
  privacyStrict: boolean,
): { object: 'list'; data: ModelEntry[] } {
  const seen = new Set<string>();
  const data: ModelEntry[] = [];
  const add = (id: string, owner: string, created: string | undefined, parent?: string): void => {
    if (seen.has(id)) return;
    if (principal.allowedModels && !principal.allowedModels.includes(id)) return;
    seen.add(id);
    data.push({
      id,
      object: 'model',
      created: created ? Math.floor(Date.parse(created) / 1000) || 0 : 0,
      owned_by: owner,
      ...(parent !== undefined ? { parent } : {}),
    });
  };
  for (const r of snap.routes) {
    const c = r.metadata.creationTimestamp;
    add(r.metadata.name, 'bascule-route', c);
    for (const a of r.spec.aliases ?? []) add(a, 'bascule-route', c);
  }
  for (const m of snap.models) {
    const c = m.metadata.creationTimestamp;
    add(m.metadata.name, 'bascule-model', c);
    for (const a of m.spec.aliases ?? []) add(a, 'bascule-model', c);
  }
  for (const m of snap.models)
    for (const a of m.spec.loraAdapters ?? [])
      add(a.name, 'bascule-adapter', m.metadata.creationTimestamp, m.metadata.name);
  if (!privacyStrict) {
    for (const p of snap.providers)
      for (const pm of p.spec.models)
        add(`${p.metadata.name}/${pm.name}`, p.metadata.name, p.metadata.creationTimestamp);
  }
  return { object: 'list', data };
}
