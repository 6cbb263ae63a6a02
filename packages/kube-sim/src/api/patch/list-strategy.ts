import type { JsonSchema, ResourceType } from '../../store/index.js';

/** How a list is merged: by key (map), as a set of scalars, or replaced whole (atomic). */
export type ListStrategy = { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' };

/** Decides the strategy of the list at `path` (field names from the root, list levels omitted). */
export type ListStrategyResolver = (path: string[], items: unknown[]) => ListStrategy;

const BY_NAME: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  volumes: ['name'],
  env: ['name'],
  imagePullSecrets: ['name'],
  resourceClaims: ['name'],
  hostAliases: ['ip'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  conditions: ['type'],
  ownerReferences: ['uid'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
  addresses: ['type'],
  images: [],
};

/** List strategies of built-in kinds (the patchMergeKey tags of the Kubernetes API types). */
export function builtinListStrategy(path: string[], items: unknown[]): ListStrategy {
  const field = path[path.length - 1] ?? '';
  if (field === 'finalizers') return { type: 'set' };
  if (field === 'ports') {
    if (path.includes('containers') || path.includes('initContainers'))
      return { type: 'map', keys: ['containerPort'] };
    const first = items[0] as Record<string, unknown> | undefined;
    if (path[0] === 'spec' && path.length === 2 && first && 'port' in first)
      return { type: 'map', keys: ['port'] };
    return { type: 'atomic' };
  }
  if (field === 'addresses' && !path.includes('status')) return { type: 'atomic' };
  const keys = BY_NAME[field];
  if (keys && keys.length > 0) return { type: 'map', keys };
  return { type: 'atomic' };
}

/** List strategies from a structural schema (x-kubernetes-list-type / list-map-keys). */
export function schemaListStrategy(schema: JsonSchema | undefined): ListStrategyResolver {
  return (path) => {
    let cur = schema;
    for (const p of path) {
      while (cur?.type === 'array') cur = cur.items;
      const next: JsonSchema | undefined =
        cur?.properties?.[p] ??
        (typeof cur?.additionalProperties === 'object' ? cur.additionalProperties : undefined);
      cur = next;
      if (!cur) return { type: 'atomic' };
    }
    const listType = cur?.['x-kubernetes-list-type'];
    if (listType === 'map') return { type: 'map', keys: cur?.['x-kubernetes-list-map-keys'] ?? [] };
    if (listType === 'set') return { type: 'set' };
    return { type: 'atomic' };
  };
}

/** The resolver for a resource type: its CRD schema, or the built-in merge keys. */
export function listStrategyFor(type: ResourceType, version: string): ListStrategyResolver {
  if (type.crd) {
    const schema = schemaListStrategy(type.schemas?.[version]);
    return (path, items) =>
      path.join('.') === 'metadata.finalizers'
        ? { type: 'set' }
        : path[0] === 'metadata'
          ? builtinListStrategy(path, items)
          : schema(path, items);
  }
  return builtinListStrategy;
}
