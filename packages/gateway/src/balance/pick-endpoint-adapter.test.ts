import { LoadBalancingSchema } from '@bascule/spec';
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../endpoints/endpoint-store.js';
import { EndpointTracker } from '../endpoints/endpoint-tracker.js';
import { AdapterInFlight } from './adapter-in-flight.js';
import { pickEndpoint, type AdapterPick } from './pick-endpoint.js';

const lb = LoadBalancingSchema.parse({});
const ep = (i: number, adapters?: string[]): Endpoint => ({
  id: `10.0.0.${i}:8000`,
  url: `http://10.0.0.${i}:8000`,
  ready: true,
  ...(adapters ? { adapters } : {}),
});

function pick(
  endpoints: Endpoint[],
  t: EndpointTracker,
  loras: AdapterInFlight,
  name: string,
  maxLoras = 2,
  tick = 0,
) {
  const adapter: AdapterPick = { name, maxLoras, inFlight: (id) => loras.adapters(id) };
  return pickEndpoint({
    endpoints,
    tracker: t,
    maxConcurrency: 8,
    loadBalancing: lb,
    tick,
    adapter,
  })?.id;
}

describe('pickEndpoint for a LoRA adapter', () => {
  it('sends only to replicas that have the adapter loaded (unknown counts as maybe)', () => {
    const t = new EndpointTracker();
    const loras = new AdapterInFlight();
    const eps = [ep(0, ['chat']), ep(1, ['sql']), ep(2, ['chat'])];
    for (let tick = 0; tick < 6; tick++)
      expect(pick(eps, t, loras, 'sql', 2, tick)).toBe(eps[1]!.id);
    expect(pick([ep(0, ['chat'])], t, loras, 'sql')).toBeUndefined();
    expect(pick([ep(0)], t, loras, 'sql')).toBe(ep(0).id);
  });

  it('keeps repeat requests on one replica while its load is under the bound, then spreads', () => {
    const t = new EndpointTracker();
    const loras = new AdapterInFlight();
    const eps = [0, 1, 2, 3].map((i) => ep(i, ['sql']));
    const first = pick(eps, t, loras, 'sql');
    for (let tick = 0; tick < 5; tick++) expect(pick(eps, t, loras, 'sql', 2, tick)).toBe(first);
    // concurrent requests: the affinity replica fills to its bound, the rest go elsewhere
    const seen = new Map<string, number>();
    for (let i = 0; i < 8; i++) {
      const id = pick(eps, t, loras, 'sql', 2, i)!;
      t.acquire('m', id);
      loras.acquire(id, 'sql');
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    expect(seen.size).toBeGreaterThan(1);
    expect(Math.max(...seen.values())).toBe(seen.get(first!));
    expect(Math.max(...seen.values())).toBeLessThanOrEqual(3);
  });

  it('avoids a replica whose --max-loras slots are taken by other adapters', () => {
    const t = new EndpointTracker();
    const loras = new AdapterInFlight();
    const eps = [ep(0, ['a', 'b', 'c']), ep(1, ['a', 'b', 'c'])];
    const preferred = pick(eps, t, loras, 'c', 2)!;
    const other = eps.find((e) => e.id !== preferred)!.id;
    // the preferred replica runs two other adapters (its two slots) and is less loaded
    for (const a of ['a', 'b']) {
      t.acquire('m', preferred);
      loras.acquire(preferred, a);
    }
    for (let i = 0; i < 3; i++) {
      t.acquire('m', other);
      loras.acquire(other, 'a');
    }
    expect(pick(eps, t, loras, 'c', 2)).toBe(other);
    // with a third slot it would have stayed
    expect(pick(eps, t, loras, 'c', 3)).toBe(preferred);
  });
});

describe('AdapterInFlight', () => {
  it('counts distinct adapters in flight, down to none, and never below', () => {
    const loras = new AdapterInFlight();
    const e = '10.0.0.1:8000';
    loras.acquire(e, 'sql');
    loras.acquire(e, 'sql');
    loras.acquire(e, 'chat');
    const view = loras.adapters(e);
    expect([view.size, view.has('sql'), view.has('chat')]).toEqual([2, true, true]);
    loras.release(e, 'sql');
    loras.release(e, 'chat');
    expect([view.size, view.has('sql'), view.has('chat')]).toEqual([1, true, false]);
    loras.release(e, 'sql');
    loras.release(e, 'sql'); // a release without its acquire changes nothing
    loras.release(e, 'never');
    expect([view.size, view.has('sql')]).toEqual([0, false]);
    loras.acquire(e, 'chat');
    expect([loras.adapters(e).size, loras.adapters(e).has('chat')]).toEqual([1, true]);
    expect(loras.adapters('10.0.0.9:8000').size).toBe(0);
  });
});
