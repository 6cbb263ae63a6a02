import { gracePeriodFor } from './graceful-delete.js';
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
  const grace = gracePeriodFor(type, old, options.gracePeriodSeconds);
  if (old.metadata.deletionTimestamp) return shortenGrace(s, type, ref, key, old, grace);
  const uid = old.metadata.uid!;
  const policy = options.propagationPolicy ?? 'Background';
  if (type.group === '' && type.resource === 'namespaces') s.gc.deleteNamespaceContents(name);
  if (policy === 'Orphan') s.gc.orphanDependents(uid);
  const finalizers = [...(old.metadata.finalizers ?? [])];
  const foreground = policy === 'Foreground' && s.gc.hasDependents(uid);
  if (foreground && !finalizers.includes('foregroundDeletion'))
    finalizers.push('foregroundDeletion');
  if (finalizers.length > 0 || grace > 0) {
    const marked: KubeObject = {
      ...old,
      metadata: {
        ...old.metadata,
        deletionTimestamp: formatTimestamp(new Date(s.clock().getTime() + grace * 1000)),
        deletionGracePeriodSeconds: grace,
      },
    };
    if (finalizers.length > 0) marked.metadata.finalizers = finalizers;
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

/**
 * A second delete of an object already being deleted: a shorter grace period moves its
 * deletionTimestamp earlier, and grace 0 (e.g. `kubectl delete --force --grace-period=0`, or the
 * kubelet once the containers stopped) removes it unless finalizers still hold it.
 */
function shortenGrace(
  s: StoreInternals,
  type: ResourceType,
  ref: ResourceRef,
  key: string,
  old: KubeObject,
  grace: number,
): KubeObject | undefined {
  const current = old.metadata.deletionGracePeriodSeconds ?? 0;
  if (current === 0 || grace >= current) return cloneJson(present(type, ref, old));
  if (grace === 0 && (old.metadata.finalizers ?? []).length === 0)
    return cloneJson(present(type, ref, s.remove(type, key, old)));
  const marked: KubeObject = {
    ...old,
    metadata: {
      ...old.metadata,
      deletionTimestamp: formatTimestamp(new Date(s.clock().getTime() + grace * 1000)),
      deletionGracePeriodSeconds: grace,
    },
  };
  return cloneJson(present(type, ref, s.commit(type, key, marked, old)));
}
