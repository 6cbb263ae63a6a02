import type { LoadBalancing } from '@bascule/spec';
import type { Endpoint } from '../endpoints/endpoint-store.js';
import type { EndpointTracker } from '../endpoints/endpoint-tracker.js';
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
}

/** Endpoints that may take a request now: ready, not ejected, below maxConcurrency. */
export function usableEndpoints(input: Omit<PickInput, 'loadBalancing' | 'tick'>): Endpoint[] {
  const out: Endpoint[] = [];
  for (const e of input.endpoints) {
    if (!e.ready || input.exclude?.has(e.id) || input.tracker.isEjected(e.id)) continue;
    if (input.tracker.inFlight(e.id) >= input.maxConcurrency) continue;
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
