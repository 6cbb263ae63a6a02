import { cloneJson, deepEqual } from '../../store/index.js';
import type { ListStrategyResolver } from './list-strategy.js';
import { isPlainObject } from './merge-patch.js';

const SET_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE = '$deleteFromPrimitiveList/';

/**
 * Strategic merge patch as the API server applies it to built-in kinds: lists with a merge key
 * are merged item by item, `$patch: delete|replace`, `$setElementOrder/<list>`,
 * `$deleteFromPrimitiveList/<list>` and `$retainKeys` directives are honoured.
 */
export function applyStrategicMergePatch(
  target: unknown,
  patch: unknown,
  resolve: ListStrategyResolver,
  path: string[] = [],
): unknown {
  if (!isPlainObject(patch)) return cloneJson(patch);
  const directive = patch['$patch'];
  if (directive === 'replace') return stripDirectives(patch);
  if (directive === 'delete') return undefined;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(SET_ORDER)) continue;
    if (key.startsWith(DELETE_FROM_PRIMITIVE)) {
      const field = key.slice(DELETE_FROM_PRIMITIVE.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        result[field] = current.filter((v) => !value.some((d) => deepEqual(d, v)));
      }
      continue;
    }
    const childPath = [...path, key];
    if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      result[key] = mergeList(result[key], value, resolve, childPath);
    } else if (isPlainObject(value)) {
      const merged = applyStrategicMergePatch(result[key], value, resolve, childPath);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ORDER) || !Array.isArray(order)) continue;
    const field = key.slice(SET_ORDER.length);
    const list = result[field];
    if (Array.isArray(list)) result[field] = reorder(list, order, resolve, [...path, field]);
  }
  const retain = patch['$retainKeys'];
  if (Array.isArray(retain)) {
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  return result;
}

function mergeList(
  current: unknown,
  patch: unknown[],
  resolve: ListStrategyResolver,
  path: string[],
): unknown[] {
  const strategy = resolve(path, patch);
  const base = Array.isArray(current) ? [...(current as unknown[])] : [];
  if (strategy.type === 'set') {
    const out = [...base];
    for (const v of patch) if (!out.some((x) => deepEqual(x, v))) out.push(v);
    return out;
  }
  if (strategy.type !== 'map' || strategy.keys.length === 0) return patch.map(stripDirectives);
  if (patch.some((p) => isPlainObject(p) && p['$patch'] === 'replace')) {
    return patch
      .filter((p) => !(isPlainObject(p) && p['$patch'] === 'replace'))
      .map(stripDirectives);
  }
  const keyOf = (item: unknown): string =>
    JSON.stringify(strategy.keys.map((k) => (isPlainObject(item) ? item[k] : undefined)));
  const out = [...base];
  for (const item of patch) {
    const k = keyOf(item);
    const index = out.findIndex((x) => keyOf(x) === k);
    if (isPlainObject(item) && item['$patch'] === 'delete') {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    if (index >= 0) out[index] = applyStrategicMergePatch(out[index], item, resolve, path);
    else out.push(stripDirectives(item));
  }
  return out;
}

function reorder(
  list: unknown[],
  order: unknown[],
  resolve: ListStrategyResolver,
  path: string[],
): unknown[] {
  const strategy = resolve(path, list);
  const keyOf = (item: unknown): string =>
    strategy.type === 'map'
      ? JSON.stringify(strategy.keys.map((k) => (isPlainObject(item) ? item[k] : undefined)))
      : JSON.stringify(item);
  const rank = new Map(order.map((o, i) => [keyOf(o), i]));
  return [...list].sort(
    (a, b) => (rank.get(keyOf(a)) ?? Infinity) - (rank.get(keyOf(b)) ?? Infinity),
  );
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$')) continue;
    out[k] = stripDirectives(v);
  }
  return out;
}
