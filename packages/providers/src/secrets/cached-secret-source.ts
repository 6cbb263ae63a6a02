import type { SecretKeyRef, SecretSource } from './secret-source.js';

export interface CachedSecretSourceOptions {
  /** Re-read a cached key after this long even without a change event (default 5 min). */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Caches another source's values; a change event for a Secret drops its keys at once, so a
 * rotated key is read on the next call. Close to stop listening.
 */
export function createCachedSecretSource(
  inner: SecretSource,
  options: CachedSecretSourceOptions = {},
): SecretSource & { close(): void } {
  const ttl = options.ttlMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: Promise<string | undefined>; at: number }>();
  const secretId = (ns: string, name: string): string => `${ns}/${name}/`;
  const unsubscribe = inner.onChange?.(({ namespace, name }) => {
    const prefix = secretId(namespace, name);
    for (const k of cache.keys()) if (k.startsWith(prefix)) cache.delete(k);
  });
  return {
    get(ref: SecretKeyRef) {
      const k = secretId(ref.namespace, ref.name) + ref.key;
      const hit = cache.get(k);
      if (hit && now() - hit.at < ttl) return hit.value;
      const value = inner.get(ref);
      cache.set(k, { value, at: now() });
      value.catch(() => cache.delete(k));
      return value;
    },
    onChange: inner.onChange?.bind(inner),
    close() {
      unsubscribe?.();
    },
  };
}
