/**
 * LoRA adapters of the requests in flight on each endpoint, for adapter-aware balancing: an
 * endpoint that already runs an adapter serves another request for it without a swap, and one
 * running `maxLoras` other adapters would make the request wait for a slot.
 */
export class AdapterInFlight {
  private readonly byEndpoint = new Map<string, Map<string, number>>();

  acquire(endpoint: string, adapter: string): void {
    let m = this.byEndpoint.get(endpoint);
    if (!m) this.byEndpoint.set(endpoint, (m = new Map<string, number>()));
    m.set(adapter, (m.get(adapter) ?? 0) + 1);
  }

  release(endpoint: string, adapter: string): void {
    const m = this.byEndpoint.get(endpoint);
    const n = (m?.get(adapter) ?? 0) - 1;
    if (!m) return;
    if (n > 0) m.set(adapter, n);
    else m.delete(adapter);
    if (m.size === 0) this.byEndpoint.delete(endpoint);
  }

  /** Distinct adapters in flight on the endpoint. */
  adapters(endpoint: string): ReadonlySet<string> {
    return new Set(this.byEndpoint.get(endpoint)?.keys() ?? []);
  }
}

const perTracker = new WeakMap<object, AdapterInFlight>();

/** The AdapterInFlight that goes with one EndpointTracker (one per gateway). */
export function adapterInFlightFor(tracker: object): AdapterInFlight {
  let a = perTracker.get(tracker);
  if (!a) perTracker.set(tracker, (a = new AdapterInFlight()));
  return a;
}
