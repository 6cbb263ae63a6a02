import { resolveProvider, type ResolvedProvider, type SecretSource } from '@bascule/providers';
import type { Provider } from '@bascule/spec';

/**
 * Resolved Providers (key read from its Secret), cached per Provider object: a changed
 * Provider is a new object in the next snapshot; a changed Secret clears the cache.
 */
export class ProviderResolver {
  private cache = new WeakMap<Provider, Promise<ResolvedProvider>>();
  private readonly off: (() => void) | undefined;

  constructor(private readonly secrets: SecretSource) {
    this.off = secrets.onChange?.(() => {
      this.cache = new WeakMap();
    });
  }

  resolve(provider: Provider): Promise<ResolvedProvider> {
    let p = this.cache.get(provider);
    if (!p) {
      p = resolveProvider(provider, this.secrets);
      this.cache.set(provider, p);
      p.catch(() => this.cache.delete(provider));
    }
    return p;
  }

  close(): void {
    this.off?.();
  }
}
