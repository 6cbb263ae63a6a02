/** The adapters one endpoint runs now: the two questions the balancer asks of them. */
export interface AdaptersRunning {
  has(adapter: string): boolean;
  /** Distinct adapters with a request in flight. */
  readonly size: number;
}

/**
 * Counts of one endpoint's requests per adapter. An adapter's entry stays at 0 when its last
 * request ends (adapter names come from the catalog, so they are few): no Map insert and delete
 * per request, and the balancer reads the counts themselves instead of a copy.
 */
class EndpointAdapters implements AdaptersRunning {
  readonly counts = new Map<string, number>();
  size = 0;

  has(adapter: string): boolean {
    return (this.counts.get(adapter) ?? 0) > 0;
  }
}

const NONE: AdaptersRunning = { has: () => false, size: 0 };

/**
 * LoRA adapters of the requests in flight on each endpoint, for adapter-aware balancing: an
 * endpoint that already runs an adapter serves another request for it without a swap, and one
 * running `maxLoras` other adapters would make the request wait for a slot.
 */
export class AdapterInFlight {
  /** One entry per endpoint ever used for an adapter, kept like EndpointTracker's states. */
  private readonly byEndpoint = new Map<string, EndpointAdapters>();

  acquire(endpoint: string, adapter: string): void {
    let e = this.byEndpoint.get(endpoint);
    if (!e) this.byEndpoint.set(endpoint, (e = new EndpointAdapters()));
    const n = e.counts.get(adapter) ?? 0;
    if (n === 0) e.size++;
    e.counts.set(adapter, n + 1);
  }

  release(endpoint: string, adapter: string): void {
    const e = this.byEndpoint.get(endpoint);
    const n = e?.counts.get(adapter) ?? 0;
    if (!e || n === 0) return;
    e.counts.set(adapter, n - 1);
    if (n === 1) e.size--;
  }

  /** Distinct adapters in flight on the endpoint (a live view, not a copy). */
  adapters(endpoint: string): AdaptersRunning {
    return this.byEndpoint.get(endpoint) ?? NONE;
  }
}

const perTracker = new WeakMap<object, AdapterInFlight>();

/** The AdapterInFlight that goes with one EndpointTracker (one per gateway). */
export function adapterInFlightFor(tracker: object): AdapterInFlight {
  let a = perTracker.get(tracker);
  if (!a) perTracker.set(tracker, (a = new AdapterInFlight()));
  return a;
}
