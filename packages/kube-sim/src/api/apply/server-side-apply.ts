import {
  StatusError,
  cloneJson,
  deepEqual,
  formatTimestamp,
  type KubeObject,
} from '../../store/index.js';
import type { ListStrategyResolver } from '../patch/list-strategy.js';
import { isPlainObject } from '../patch/merge-patch.js';
import {
  decodePath,
  fieldsOf,
  itemKey,
  removeAt,
  valueAt,
  type FieldPath,
  type FieldScope,
} from './field-set.js';
import { parseManagedFields, serializeManagedFields, type ManagerEntry } from './managed-fields.js';

export interface ApplyRequest {
  /** The stored object, or undefined when apply creates it. */
  live: KubeObject | undefined;
  /** The applied configuration (the request body). */
  applied: Record<string, unknown>;
  manager: string;
  force: boolean;
  apiVersion: string;
  resolve: ListStrategyResolver;
  scope: FieldScope;
  subresource?: string;
  now: Date;
}

interface Conflict {
  manager: string;
  apiVersion: string;
  path: FieldPath;
}

const SYSTEM_META = new Set([
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'deletionTimestamp',
  'selfLink',
]);

/**
 * Server-side apply with a simplified field-ownership model: each manager owns the leaf fields it
 * applied or changed; applying a value another manager owns with a different value is a 409
 * conflict unless `force`; fields a manager stops applying are removed unless someone else owns them.
 */
export function serverSideApply(req: ApplyRequest): KubeObject {
  const entries = parseManagedFields(req.live?.metadata.managedFields);
  const appliedSet = fieldsOf(req.applied, req.resolve, req.scope);
  const live: unknown = req.live ?? {};
  const isMine = (e: ManagerEntry): boolean =>
    e.manager === req.manager &&
    e.operation === 'Apply' &&
    (e.subresource ?? '') === (req.subresource ?? '');
  const conflicts: Conflict[] = [];
  const conflictKeys = new Set<string>();
  for (const e of entries) {
    if (isMine(e) || e.manager === req.manager) continue;
    for (const key of appliedSet) {
      if (!e.fields.has(key)) continue;
      const path = decodePath(key);
      if (path[path.length - 1] === '.') continue; // item ownership: its leaves decide
      const a = valueAt(live, path);
      const b = valueAt(req.applied, path);
      if (a.found && deepEqual(a.value, b.value)) continue;
      conflicts.push({ manager: e.manager, apiVersion: e.apiVersion, path });
      conflictKeys.add(key);
    }
  }
  if (conflicts.length > 0 && !req.force) throw conflictError(conflicts);
  const next = entries.map((e) => ({ ...e, fields: new Set(e.fields) }));
  if (req.force)
    for (const e of next) if (!isMine(e)) for (const k of conflictKeys) e.fields.delete(k);
  let mine = next.find(isMine);
  const previous = mine ? [...mine.fields] : [];
  const ownedByOthers = (key: string): boolean => next.some((e) => !isMine(e) && e.fields.has(key));
  const object = cloneJson(live) as Record<string, unknown>;
  const toRemove = previous
    .filter((k) => !appliedSet.has(k) && !ownedByOthers(k))
    .map(decodePath)
    .sort((a, b) => b.length - a.length);
  for (const path of toRemove) removeAt(object, path);
  const merged = mergeApplied(object, req.applied, req.resolve, []) as KubeObject;
  if (!mine) {
    mine = {
      manager: req.manager,
      operation: 'Apply',
      apiVersion: req.apiVersion,
      time: '',
      ...(req.subresource ? { subresource: req.subresource } : {}),
      fields: new Set(),
    };
    next.push(mine);
  }
  // A no-op apply (same fields, same object) keeps the entry's time, so the object is unchanged
  // and not written again (as the API server does): re-applying a manifest is idempotent.
  const owned = mine.fields;
  const sameFields =
    mine.time !== '' &&
    mine.apiVersion === req.apiVersion &&
    owned.size === appliedSet.size &&
    [...appliedSet].every((k) => owned.has(k));
  if (!sameFields || !deepEqual(withoutManagedFields(merged), withoutManagedFields(req.live))) {
    mine.time = formatTimestamp(req.now);
  }
  mine.fields = appliedSet;
  mine.apiVersion = req.apiVersion;
  merged.metadata = { ...(merged.metadata ?? {}), managedFields: serializeManagedFields(next) };
  return merged;
}

function withoutManagedFields(o: KubeObject | undefined): unknown {
  if (!o) return undefined;
  const { managedFields: _, ...metadata } = o.metadata ?? {};
  return { ...o, metadata };
}

function mergeApplied(
  target: unknown,
  applied: unknown,
  resolve: ListStrategyResolver,
  path: string[],
): unknown {
  if (isPlainObject(applied)) {
    const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
    for (const [k, v] of Object.entries(applied)) {
      if (path.length === 1 && path[0] === 'metadata' && SYSTEM_META.has(k)) continue;
      if (v === null) delete result[k];
      else result[k] = mergeApplied(result[k], v, resolve, [...path, k]);
    }
    return result;
  }
  if (Array.isArray(applied)) {
    const strategy = resolve(path, applied);
    const base = Array.isArray(target) ? [...(target as unknown[])] : [];
    if (strategy.type === 'set') {
      for (const v of applied) if (!base.some((x) => deepEqual(x, v))) base.push(cloneJson(v));
      return base;
    }
    if (strategy.type === 'map' && strategy.keys.length > 0) {
      const keyOf = (x: unknown): string => itemKey(x, strategy.keys);
      for (const item of applied) {
        const i = base.findIndex((x) => keyOf(x) === keyOf(item));
        if (i >= 0) base[i] = mergeApplied(base[i], item, resolve, path);
        else base.push(cloneJson(item));
      }
      return base;
    }
    return cloneJson(applied);
  }
  return applied;
}

/** `.spec.template.spec.containers[name="web"].image`, as the API server prints field paths. */
export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const e of path) {
    if (e.startsWith('f:')) out += `.${e.slice(2)}`;
    else if (e.startsWith('k:')) {
      const keys = JSON.parse(e.slice(2)) as Record<string, unknown>;
      out += `[${Object.entries(keys)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    } else if (e.startsWith('v:')) out += `[=${e.slice(2)}]`;
  }
  return out;
}

function conflictError(conflicts: Conflict[]): StatusError {
  const byManager = new Map<string, Conflict[]>();
  for (const c of conflicts) {
    const k = `${c.manager}\u0000${c.apiVersion}`;
    byManager.set(k, [...(byManager.get(k) ?? []), c]);
  }
  const n = conflicts.length;
  const parts = [...byManager.values()].map((list) => {
    const head = `conflict${list.length > 1 ? 's' : ''} with "${list[0]!.manager}" using ${list[0]!.apiVersion}`;
    return list.length === 1
      ? `${head}: ${formatFieldPath(list[0]!.path)}`
      : `${head}:\n${list.map((c) => `- ${formatFieldPath(c.path)}`).join('\n')}`;
  });
  const message = `Apply failed with ${n} conflict${n > 1 ? 's' : ''}: ${parts.join('\n')}`;
  return new StatusError(409, 'Conflict', message, {
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with "${c.manager}" using ${c.apiVersion}`,
      field: formatFieldPath(c.path),
    })),
  });
}
