import type { KubernetesObject } from '@kubernetes/client-node';
import { MODEL_LABEL } from '@bascule/spec';

/** `namespace/name` of a Model. */
export function modelKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? 'default'}/${name}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The key of the Model an object belongs to: its controller reference, else its Model label. */
export function ownerModelKey(object: KubernetesObject): string | undefined {
  const ns = object.metadata?.namespace;
  const owner = object.metadata?.ownerReferences?.find((r) => r.kind === 'Model' && r.controller);
  if (owner) return modelKey(ns, owner.name);
  const label = object.metadata?.labels?.[MODEL_LABEL];
  return label ? modelKey(ns, label) : undefined;
}
