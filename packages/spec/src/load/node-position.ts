import { isMap, isPair, isScalar, isSeq, type Document } from 'yaml';

/** Where an error points: a byte offset into the source text. */
export interface NodeHit {
  offset: number;
  /** True when the whole path was found; false when the offset is the nearest ancestor's. */
  exact: boolean;
}

const rangeStart = (node: unknown): number | undefined =>
  (node as { range?: [number, number, number] } | null)?.range?.[0];

/**
 * The offset an issue at `path` should point at. For a field that exists, its value (or its key
 * when `pointAtKey`, used for unknown fields); for a missing field, the key of its parent.
 */
export function nodeOffset(
  doc: Document,
  path: readonly (string | number)[],
  pointAtKey: boolean,
): NodeHit {
  let node: unknown = doc.contents;
  let fallback = rangeStart(node) ?? doc.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
      if (!pair) return { offset: fallback, exact: false };
      const keyStart = rangeStart(pair.key);
      if (last && pointAtKey && keyStart !== undefined) return { offset: keyStart, exact: true };
      node = pair.value;
      fallback = keyStart ?? fallback;
      const valueStart = rangeStart(node);
      if (valueStart === undefined) return { offset: fallback, exact: last };
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      const start = rangeStart(item);
      if (start === undefined) return { offset: fallback, exact: false };
      node = item;
      fallback = start;
    } else {
      return { offset: fallback, exact: false };
    }
  }
  return { offset: rangeStart(node) ?? fallback, exact: true };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}
