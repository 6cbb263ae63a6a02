import { randomUUID } from 'node:crypto';
import { NAMESPACES, objectKey, present } from './object-keys.js';
import { cloneJson, deepEqual, formatTimestamp, randomSuffix } from './object-utils.js';
import type { ResourceType } from './resource-type.js';
import { alreadyExists, forbidden, invalid, notFound, type StatusCause } from './status-error.js';
import type { StoreInternals } from './store-internals.js';
import type { StoreWriteOptions } from './store-options.js';
import type { KubeObject, ResourceRef } from './types.js';
import {
  checkNewName,
  checkPreconditions,
  checkTypeMeta,
  mergeUpdate,
  nextGeneration,
} from './write-rules.js';

/** MemoryStore.create: validates, defaults and stores a new object. */
export function createObject(
  s: StoreInternals,
  type: ResourceType,
  ref: ResourceRef,
  input: KubeObject,
  options: StoreWriteOptions,
): KubeObject {
  const obj = cloneJson(input);
  checkTypeMeta(type, ref, obj);
  const meta = (obj.metadata ??= {});
  if (type.namespaced) meta.namespace = meta.namespace || 'default';
  else delete meta.namespace;
  if (!meta.name && meta.generateName) {
    do meta.name = meta.generateName + randomSuffix();
    while (s.table(type).has(objectKey(type, meta.namespace, meta.name)));
  }
  const name = checkNewName(type, meta.name);
  if (type.namespaced) checkNamespace(s, meta.namespace!);
  const key = objectKey(type, meta.namespace, name);
  if (s.table(type).has(key)) throw alreadyExists(type.group, type.resource, name);
  if (type.createStatus === 'drop') delete obj['status'];
  else if (type.createStatus !== 'keep') obj['status'] = cloneJson(type.createStatus.initial);
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  meta.uid = randomUUID();
  meta.creationTimestamp = formatTimestamp(s.clock());
  if (type.generation) meta.generation = 1;
  else delete meta.generation;
  const prepared = prepare(s, type, ref, obj, undefined, options);
  if (options.dryRun) return present(type, ref, prepared);
  const stored = s.commit(type, key, prepared, undefined);
  return cloneJson(present(type, ref, stored));
}

/** MemoryStore.update (main resource or status subresource): merges, validates and stores. */
export function updateObject(
  s: StoreInternals,
  type: ResourceType,
  ref: ResourceRef,
  input: KubeObject,
  options: StoreWriteOptions,
): KubeObject {
  const obj = cloneJson(input);
  checkTypeMeta(type, ref, obj);
  const meta = (obj.metadata ??= {});
  const name = meta.name ?? '';
  if (!name) {
    throw invalid(type.group, type.kind, '', [
      {
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name is required',
      },
    ]);
  }
  const key = objectKey(type, meta.namespace, name);
  const old = s.table(type).get(key);
  if (!old) throw notFound(type.group, type.resource, name);
  checkPreconditions(type, old, meta);
  const next = mergeUpdate(type, old, obj, options.subresource === 'status');
  next.metadata.resourceVersion = old.metadata.resourceVersion;
  next.metadata.generation = old.metadata.generation;
  if (!type.generation) delete next.metadata.generation;
  const prepared = prepare(s, type, ref, next, old, options);
  if (type.generation) prepared.metadata.generation = nextGeneration(type, prepared, old);
  if (deepEqual(prepared, old)) return cloneJson(present(type, ref, old));
  if (options.dryRun) return present(type, ref, prepared);
  const stored = s.commit(type, key, prepared, old);
  if (
    stored.metadata.deletionTimestamp &&
    (stored.metadata.finalizers ?? []).length === 0 &&
    !((stored.metadata.deletionGracePeriodSeconds ?? 0) > 0)
  ) {
    return cloneJson(present(type, ref, s.remove(type, key, stored)));
  }
  return cloneJson(present(type, ref, stored));
}

function checkNamespace(s: StoreInternals, namespace: string): void {
  if (!s.enforceNamespaces) return;
  const ns = s.table(s.resolve(NAMESPACES)).get(`/${namespace}`);
  if (!ns) throw notFound('', 'namespaces', namespace);
  if (ns.metadata.deletionTimestamp) {
    throw forbidden(
      `unable to create new content in namespace ${namespace} because it is being terminated`,
    );
  }
}

/** Runs the plugins' prepare hooks, then the type's validation. */
function prepare(
  s: StoreInternals,
  type: ResourceType,
  ref: ResourceRef,
  object: KubeObject,
  old: KubeObject | undefined,
  options: StoreWriteOptions,
): KubeObject {
  let obj = object;
  const ctx = {
    type,
    ref,
    old,
    operation: old ? ('update' as const) : ('create' as const),
    subresource: options.subresource,
    fieldValidation: options.fieldValidation ?? 'Ignore',
    warnings: options.warnings ?? [],
  };
  for (const plugin of s.plugins) if (plugin.prepare) obj = plugin.prepare({ ...ctx, object: obj });
  if (type.validate) {
    const errors = type.validate(obj);
    if (errors.length > 0) {
      const causes: StatusCause[] = errors.map((e) => ({
        reason: e.reason ?? 'FieldValueInvalid',
        field: e.field,
        message: e.message,
      }));
      throw invalid(type.group, type.kind, obj.metadata.name ?? '', causes);
    }
  }
  return obj;
}
