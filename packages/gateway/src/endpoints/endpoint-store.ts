/** One serving pod of a Model. */
export interface Endpoint {
  /** Stable id, `ip:port`. */
  id: string;
  /** Base URL without the /v1 path, e.g. http://10.0.0.7:8000 */
  url: string;
  ready: boolean;
  /** LoRA adapters the replica has loaded, when the controller reported them. */
  adapters?: readonly string[];
}

/**
 * Endpoints per Model (by Model name), fed by watches. The request path only reads it;
 * unit tests inject a static store.
 */
export interface EndpointStore {
  endpoints(model: string): readonly Endpoint[];
  onChange(listener: (model: string) => void): () => void;
}

export interface StaticEndpointStore extends EndpointStore {
  set(model: string, endpoints: readonly (Omit<Endpoint, 'id'> & { id?: string })[]): void;
}

export function endpointId(url: string): string {
  const u = new URL(url);
  return u.host;
}

export function createStaticEndpointStore(
  initial: Record<string, readonly (Omit<Endpoint, 'id'> & { id?: string })[]> = {},
): StaticEndpointStore {
  const byModel = new Map<string, readonly Endpoint[]>();
  const listeners = new Set<(model: string) => void>();
  const store: StaticEndpointStore = {
    endpoints: (m) => byModel.get(m) ?? [],
    onChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    set(model, eps) {
      byModel.set(
        model,
        eps.map((e) => ({
          id: e.id ?? endpointId(e.url),
          url: e.url.replace(/\/+$/, ''),
          ready: e.ready,
          ...(e.adapters ? { adapters: e.adapters } : {}),
        })),
      );
      for (const l of listeners) l(model);
    },
  };
  for (const [m, eps] of Object.entries(initial)) store.set(m, eps);
  return store;
}
