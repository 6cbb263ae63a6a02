import { deepEqual, formatTimestamp } from '../../store/index.js';
import type { ListStrategyResolver } from '../patch/list-strategy.js';
import { isPlainObject } from '../patch/merge-patch.js';
import {
  decodePath,
  encodePath,
  fieldsOf,
  fromFieldsV1,
  toFieldsV1,
  valueAt,
  type FieldScope,
  type FieldSet,
} from './field-set.js';

/** One metadata.managedFields entry with its field set decoded. */
export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: FieldSet;
}

export function parseManagedFields(raw: unknown): ManagerEntry[] {
  if (!Array.isArray(raw)) return [];
  const out: ManagerEntry[] = [];
  for (const e of raw) {
    if (!isPlainObject(e) || typeof e['manager'] !== 'string') continue;
    out.push({
      manager: e['manager'],
      operation: e['operation'] === 'Apply' ? 'Apply' : 'Update',
      apiVersion: typeof e['apiVersion'] === 'string' ? e['apiVersion'] : '',
      time: typeof e['time'] === 'string' ? e['time'] : '',
      ...(typeof e['subresource'] === 'string' ? { subresource: e['subresource'] } : {}),
      fields: fromFieldsV1(e['fieldsV1']),
    });
  }
  return out;
}

export function serializeManagedFields(entries: ManagerEntry[]): Array<Record<string, unknown>> {
  return entries
    .filter((e) => e.fields.size > 0)
    .map((e) => ({
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      time: e.time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(e.fields),
      ...(e.subresource ? { subresource: e.subresource } : {}),
    }));
}

export interface TrackOptions {
  manager: string;
  apiVersion: string;
  resolve: ListStrategyResolver;
  scope: FieldScope;
  subresource?: string;
  now: Date;
}

/**
 * Records a non-apply write (create, update, patch): the writing manager takes ownership of every
 * field it changed, other managers lose those fields, and removed fields leave every set.
 */
export function trackUpdate(
  old: unknown,
  next: unknown,
  entries: ManagerEntry[],
  options: TrackOptions,
): ManagerEntry[] {
  const before = fieldsOf(old, options.resolve, options.scope);
  const after = fieldsOf(next, options.resolve, options.scope);
  const changed = new Set<string>();
  for (const key of after) {
    if (!before.has(key)) changed.add(key);
    else if (!deepEqual(valueAt(old, decodePath(key)).value, valueAt(next, decodePath(key)).value))
      changed.add(key);
  }
  const removed = [...before].filter((k) => !after.has(k));
  if (changed.size === 0 && removed.length === 0) return entries;
  const out = entries.map((e) => ({ ...e, fields: new Set(e.fields) }));
  for (const e of out) {
    for (const k of changed) e.fields.delete(k);
    for (const k of removed) e.fields.delete(k);
  }
  let mine = out.find(
    (e) =>
      e.manager === options.manager &&
      e.operation === 'Update' &&
      (e.subresource ?? '') === (options.subresource ?? ''),
  );
  if (!mine) {
    mine = {
      manager: options.manager,
      operation: 'Update',
      apiVersion: options.apiVersion,
      time: '',
      ...(options.subresource ? { subresource: options.subresource } : {}),
      fields: new Set(),
    };
    out.push(mine);
  }
  for (const k of changed) mine.fields.add(k);
  if (changed.size > 0) {
    mine.time = formatTimestamp(options.now);
    mine.apiVersion = options.apiVersion;
  }
  return out.filter((e) => e.fields.size > 0);
}

export { encodePath };
