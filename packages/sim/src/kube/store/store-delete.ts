import { objectKey, present } from './object-keys.js';
import { cloneJson, formatTimestamp } from './object-utils.js';
import type { ResourceType } from './resource-type.js';
import { notFound } from './status-error.js';
import type { StoreInternals } from './store-internals.js';
import type { DeleteOptions, KubeObject, ResourceRef } from './types.js';

/**
 * MemoryStore.delete: 404 NotFound when absent; with finalizers (or Foreground and dependents)
 * the object gets a deletionTimestamp and stays until they are gone; dependents are collected
 * per propagation policy.
 */
export function deleteObject(
  s: StoreInternals,
  type: ResourceType,
  ref: ResourceRef,
  namespace: string | undefined,
  name: string,
  options: DeleteOptions,
): KubeObject | undefined {
  const key = objectKey(type, namespace, name);
  const old = s.table(type).get(key);
  if (!old) throw notFound(type.group, type.resource, name);
  if (options.dryRun) return cloneJson(present(type, ref, old));
  if (old.metadata.deletionTimestamp) return cloneJson(present(type, ref, old));
  const uid = old.metadata.uid!;
  const policy = options.propagationPolicy ?? 'Background';
  if (type.group === '' && type.resource === 'namespaces') s.gc.deleteNamespaceContents(name);
  if (policy === 'Orphan') s.gc.orphanDependents(uid);
  const finalizers = [...(old.metadata.finalizers ?? [])];
  const foreground = policy === 'Foreground' && s.gc.hasDependents(uid);
  if (foreground && !finalizers.includes('foregroundDeletion'))
    finalizers.push('foregroundDeletion');
  if (finalizers.length > 0) {
    const marked: KubeObject = {
      ...old,
      metadata: {
        ...old.metadata,
        finalizers,
        deletionTimestamp: formatTimestamp(s.clock()),
        deletionGracePeriodSeconds: 0,
      } as KubeObject['metadata'],
    };
    const stored = s.commit(type, key, marked, old);
    if (foreground) {
      s.gc.deleteDependents(uid);
      s.gc.finishForeground(uid);
    }
    const current = s.table(type).get(key) ?? stored;
    return cloneJson(present(type, ref, current));
  }
  return cloneJson(present(type, ref, s.remove(type, key, old)));
}
