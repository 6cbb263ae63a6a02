import { badRequest } from './status-error.js';
import type { KubeObject } from './types.js';

/** Continue tokens: the list's resourceVersion and the key after which the next page starts. */
export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

export function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      rv?: unknown;
      start?: unknown;
    };
    if (typeof parsed.rv === 'number' && typeof parsed.start === 'string')
      return { rv: parsed.rv, start: parsed.start };
  } catch {
    // fall through
  }
  throw badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

export function lowerBound(keys: string[], value: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function upperBound(keys: string[], value: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One page of matching objects from sorted keys: those under `prefix`, after the key `after`,
 * at most `limit`; `more` tells whether matching objects remain.
 */
export function selectPage(
  keys: string[],
  get: (key: string) => KubeObject,
  options: {
    prefix: string;
    after: string | undefined;
    limit: number;
    matches: (o: KubeObject) => boolean;
  },
): { items: KubeObject[]; more: boolean } {
  const { prefix, after, limit, matches } = options;
  const items: KubeObject[] = [];
  for (
    let i = after === undefined ? lowerBound(keys, prefix) : upperBound(keys, after);
    i < keys.length;
    i++
  ) {
    const key = keys[i]!;
    if (prefix && !key.startsWith(prefix)) break;
    const obj = get(key);
    if (!matches(obj)) continue;
    if (items.length >= limit) return { items, more: true };
    items.push(obj);
  }
  return { items, more: false };
}
