import type { LoadBalancing } from '@bascule/spec';
import type { Endpoint } from '../endpoints/endpoint-store.js';
import type { EndpointTracker } from '../endpoints/endpoint-tracker.js';
import type { AdaptersRunning } from './adapter-in-flight.js';
import { HashRing } from './hash-ring.js';
import { hashString } from './hash-string.js';

export interface PickInput {
  endpoints: readonly Endpoint[];
  tracker: EndpointTracker;
  maxConcurrency: number;
  loadBalancing: LoadBalancing;
  /** Leading prompt text for prefix affinity. */
  prefix?: string;
  /** Endpoints not to use (already failed for this request). */
  exclude?: ReadonlySet<string>;
  /** Rotates ties so equal endpoints share load. */
  tick: number;
  ring?: (ids: readonly string[]) => HashRing;
  /** The request names a LoRA adapter: only endpoints that have it loaded, adapter affinity. */
  adapter?: AdapterPick;
}

export interface AdapterPick {
  name: string;
  /** The engine's --max-loras: distinct adapters one batch holds. */
  maxLoras: number;
  /** Distinct adapters in flight on an endpoint. */
  inFlight(endpointId: string): AdaptersRunning;
}

/** Endpoints that may take a request now: ready, not ejected, below maxConcurrency. */
export function usableEndpoints(input: Omit<PickInput, 'loadBalancing' | 'tick'>): Endpoint[] {
  const out: Endpoint[] = [];
  for (const e of input.endpoints) {
    if (!e.ready || input.exclude?.has(e.id) || input.tracker.isEjected(e.id)) continue;
    if (input.tracker.inFlight(e.id) >= input.maxConcurrency) continue;
    // an endpoint whose loaded adapters are known serves only those (unknown: it may have it)
    if (input.adapter && e.adapters && !e.adapters.includes(input.adapter.name)) continue;
    out.push(e);
  }
  return out;
}

/**
 * Least outstanding requests (ties rotate), or prefix affinity: consistent hashing of the
 * leading prompt text with bounded load (an endpoint takes the request only while its load is
 * below loadFactor x the average), falling back to least outstanding.
 */
export function pickEndpoint(input: PickInput): Endpoint | undefined {
  const usable = usableEndpoints(input);
  if (usable.length === 0) return undefined;
  if (usable.length === 1) return usable[0];
  const { tracker } = input;
  if (input.adapter) return pickForAdapter(usable, input, input.adapter);
  if (input.loadBalancing.strategy === 'prefix-affinity' && input.prefix) {
    const ids = usable.map((e) => e.id);
    const ring = input.ring ? input.ring(ids) : new HashRing(ids);
    let total = 0;
    for (const e of usable) total += tracker.inFlight(e.id);
    const bound = Math.max(
      1,
      Math.ceil(((total + 1) / usable.length) * input.loadBalancing.loadFactor),
    );
    const key = hashString(input.prefix.slice(0, input.loadBalancing.prefixLength));
    for (const id of ring.walk(key)) {
      if (tracker.inFlight(id) < bound) return usable.find((e) => e.id === id);
    }
  }
  const start = input.tick % usable.length;
  let best = usable[start]!;
  let bestLoad = tracker.inFlight(best.id);
  for (let i = 1; i < usable.length; i++) {
    const e = usable[(start + i) % usable.length]!;
    const load = tracker.inFlight(e.id);
    if (load < bestLoad) {
      best = e;
      bestLoad = load;
    }
  }
  return best;
}

/**
 * Adapter affinity, bounded as prefix affinity is: the adapter's name is hashed onto the ring
 * of usable endpoints and the walk takes the first endpoint whose load is below loadFactor x
 * the average and that can batch the adapter now (it runs it already, or runs fewer than
 * maxLoras other adapters). Repeat requests for an adapter so keep to the same replica, where
 * it is in a GPU slot, until that replica is busier than the rest. Otherwise the least loaded
 * endpoint with a free adapter slot, else the least loaded.
 */
function pickForAdapter(
  usable: readonly Endpoint[],
  input: PickInput,
  adapter: AdapterPick,
): Endpoint | undefined {
  if (usable.length === 1) return usable[0];
  const { tracker } = input;
  const fits = (id: string): boolean => {
    const running = adapter.inFlight(id);
    return running.has(adapter.name) || running.size < adapter.maxLoras;
  };
  const ids = usable.map((e) => e.id);
  const ring = input.ring ? input.ring(ids) : new HashRing(ids);
  let total = 0;
  for (const e of usable) total += tracker.inFlight(e.id);
  const bound = Math.max(
    1,
    Math.ceil(((total + 1) / usable.length) * input.loadBalancing.loadFactor),
  );
  for (const id of ring.walk(hashString(`lora:${adapter.name}`))) {
    if (tracker.inFlight(id) < bound && fits(id)) return usable.find((e) => e.id === id);
  }
  const start = input.tick % usable.length;
  let best: Endpoint | undefined;
  let bestKey = Infinity;
  for (let i = 0; i < usable.length; i++) {
    const e = usable[(start + i) % usable.length]!;
    // a free slot matters more than one request of load: a swap stalls the whole batch
    const key = tracker.inFlight(e.id) + (fits(e.id) ? 0 : 1e6);
    if (key < bestKey) {
      best = e;
      bestKey = key;
    }
  }
  return best;
}
