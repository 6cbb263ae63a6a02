import { deepEqual } from '../../store/index.js';
import type { ListStrategyResolver } from '../patch/list-strategy.js';
import { isPlainObject } from '../patch/merge-patch.js';

/**
 * A set of field paths, as server-side apply tracks ownership. A path is a list of elements in
 * the fieldsV1 vocabulary: `f:<field>`, `k:<json keys>` (list item by key), `v:<json value>`
 * (set member) and `.` (the list item itself).
 */
export type FieldPath = string[];
export type FieldSet = Set<string>;

const SEP = '\u0001';

export function encodePath(path: FieldPath): string {
  return path.join(SEP);
}

export function decodePath(key: string): FieldPath {
  return key === '' ? [] : key.split(SEP);
}

const META_FIELDS = ['labels', 'annotations', 'finalizers', 'ownerReferences'];

/** Which part of an object a field set covers: the main resource or the status subresource. */
export type FieldScope = 'main' | 'status' | 'all';

/** The leaf field paths of an object (metadata: labels, annotations, finalizers, ownerReferences). */
export function fieldsOf(
  object: unknown,
  resolve: ListStrategyResolver,
  scope: FieldScope,
): FieldSet {
  const out: FieldSet = new Set();
  if (!isPlainObject(object)) return out;
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (scope === 'main' && key === 'status') continue;
    if (scope === 'status' && key !== 'status') continue;
    if (key === 'metadata') {
      if (scope === 'status' || !isPlainObject(value)) continue;
      for (const m of META_FIELDS) {
        if (value[m] !== undefined)
          walk(value[m], ['f:metadata', `f:${m}`], ['metadata', m], resolve, out);
      }
      continue;
    }
    walk(value, [`f:${key}`], [key], resolve, out);
  }
  return out;
}

/** `k:{"name":"x"}` for a list item under a map-list strategy. */
export function itemKey(item: unknown, keys: string[]): string {
  const picked: Record<string, unknown> = {};
  for (const k of [...keys].sort()) picked[k] = isPlainObject(item) ? item[k] : undefined;
  return `k:${JSON.stringify(picked)}`;
}

function walk(
  value: unknown,
  elems: FieldPath,
  fieldPath: string[],
  resolve: ListStrategyResolver,
  out: FieldSet,
): void {
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) out.add(encodePath(elems));
    for (const k of keys) walk(value[k], [...elems, `f:${k}`], [...fieldPath, k], resolve, out);
    return;
  }
  if (Array.isArray(value)) {
    const strategy = resolve(fieldPath, value);
    if (strategy.type === 'map' && strategy.keys.length > 0) {
      for (const item of value) {
        const k = itemKey(item, strategy.keys);
        out.add(encodePath([...elems, k, '.']));
        walk(item, [...elems, k], fieldPath, resolve, out);
      }
      return;
    }
    if (strategy.type === 'set') {
      for (const v of value) out.add(encodePath([...elems, `v:${JSON.stringify(v)}`]));
      return;
    }
  }
  out.add(encodePath(elems));
}

/** The value at a field path, or `{found:false}`. */
export function valueAt(object: unknown, path: FieldPath): { found: boolean; value?: unknown } {
  let cur: unknown = object;
  for (const e of path) {
    if (e === '.') continue;
    if (e.startsWith('f:')) {
      const k = e.slice(2);
      const next = isPlainObject(cur) ? cur[k] : undefined;
      if (next === undefined) return { found: false };
      cur = next;
    } else if (e.startsWith('k:')) {
      if (!Array.isArray(cur)) return { found: false };
      const keys = JSON.parse(e.slice(2)) as Record<string, unknown>;
      const list: unknown[] = cur;
      const item = list.find(
        (x) => isPlainObject(x) && Object.entries(keys).every(([k, v]) => deepEqual(x[k], v)),
      );
      if (item === undefined) return { found: false };
      cur = item;
    } else if (e.startsWith('v:')) {
      const v = JSON.parse(e.slice(2)) as unknown;
      if (!Array.isArray(cur) || !cur.some((x) => deepEqual(x, v))) return { found: false };
      cur = v;
    }
  }
  return { found: true, value: cur };
}

/** Removes the field at a path from an object (in place); `.` removes the whole list item. */
export function removeAt(object: unknown, path: FieldPath): void {
  const last = path[path.length - 1];
  if (last === undefined) return;
  const itemMarker = last === '.';
  const target = itemMarker ? path.slice(0, -1) : path;
  const leaf = target[target.length - 1]!;
  const parent = valueAt(object, target.slice(0, -1));
  if (!parent.found) return;
  const container = parent.value;
  if (leaf.startsWith('f:') && isPlainObject(container)) {
    delete container[leaf.slice(2)];
  } else if (Array.isArray(container)) {
    const self = valueAt(object, target);
    if (!self.found) return;
    const index = container.findIndex((x) => x === self.value || deepEqual(x, self.value));
    if (index >= 0) container.splice(index, 1);
  }
}

/** fieldsV1 tree (`{"f:spec":{"f:replicas":{}}}`) from a field set. */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const key of [...set].sort()) {
    let node = tree;
    for (const e of decodePath(key)) {
      let next = node[e] as Record<string, unknown> | undefined;
      if (!next) node[e] = next = {};
      node = next;
    }
  }
  return tree;
}

/** The field set a fieldsV1 tree describes (its leaves). */
export function fromFieldsV1(tree: unknown): FieldSet {
  const out: FieldSet = new Set();
  const walkTree = (node: unknown, path: FieldPath): void => {
    if (!isPlainObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 0 && path.length > 0) out.add(encodePath(path));
    for (const k of keys) walkTree(node[k], [...path, k]);
  };
  walkTree(tree, []);
  return out;
}
