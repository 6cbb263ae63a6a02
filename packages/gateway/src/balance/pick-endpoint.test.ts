import { LoadBalancingSchema } from '@bascule/spec';
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../endpoints/endpoint-store.js';
import { EndpointTracker } from '../endpoints/endpoint-tracker.js';
import { pickEndpoint } from './pick-endpoint.js';

const eps: Endpoint[] = ['a', 'b', 'c', 'd'].map((x, i) => ({
  id: `10.0.0.${i}:8000`,
  url: `http://${x}`,
  ready: true,
}));
const lo = LoadBalancingSchema.parse({});
const pa = LoadBalancingSchema.parse({ strategy: 'prefix-affinity', loadFactor: 1.25 });

describe('pickEndpoint', () => {
  it('least outstanding: the endpoint with the fewest in-flight requests', () => {
    const t = new EndpointTracker();
    t.acquire('m', eps[0]!.id);
    t.acquire('m', eps[1]!.id);
    t.acquire('m', eps[3]!.id);
    for (let tick = 0; tick < 8; tick++)
      expect(
        pickEndpoint({ endpoints: eps, tracker: t, maxConcurrency: 4, loadBalancing: lo, tick })
          ?.id,
      ).toBe(eps[2]!.id);
  });

  it('respects maxConcurrency, readiness, ejection and exclusions', () => {
    let now = 1000;
    const t = new EndpointTracker({ now: () => now, ejectMs: 500 });
    const two = [eps[0]!, { ...eps[1]!, ready: false }, eps[2]!];
    t.acquire('m', eps[0]!.id);
    t.eject('m', eps[2]!.id);
    expect(
      pickEndpoint({ endpoints: two, tracker: t, maxConcurrency: 1, loadBalancing: lo, tick: 0 }),
    ).toBeUndefined();
    now += 501;
    expect(
      pickEndpoint({ endpoints: two, tracker: t, maxConcurrency: 1, loadBalancing: lo, tick: 0 })
        ?.id,
    ).toBe(eps[2]!.id);
    expect(
      pickEndpoint({
        endpoints: two,
        tracker: t,
        maxConcurrency: 1,
        loadBalancing: lo,
        tick: 0,
        exclude: new Set([eps[2]!.id]),
      }),
    ).toBeUndefined();
  });

  it('spreads ties across endpoints', () => {
    const t = new EndpointTracker();
    const seen = new Set<string>();
    for (let tick = 0; tick < 4; tick++)
      seen.add(
        pickEndpoint({ endpoints: eps, tracker: t, maxConcurrency: 4, loadBalancing: lo, tick })!
          .id,
      );
    expect(seen.size).toBe(4);
  });

  it('prefix affinity: the same prefix sticks to one endpoint, different prefixes spread', () => {
    const t = new EndpointTracker();
    const pick = (prefix: string, tick: number) =>
      pickEndpoint({
        endpoints: eps,
        tracker: t,
        maxConcurrency: 100,
        loadBalancing: pa,
        prefix,
        tick,
      })!.id;
    const first = pick('You are a helpful assistant. Conversation 7', 0);
    for (let tick = 1; tick < 10; tick++)
      expect(pick('You are a helpful assistant. Conversation 7', tick)).toBe(first);
    const spread = new Set(Array.from({ length: 40 }, (_, i) => pick(`prompt number ${i}`, 0)));
    expect(spread.size).toBe(4);
  });

  it('prefix affinity is bounded: a hot endpoint sheds load to the next on the ring', () => {
    const t = new EndpointTracker();
    const prefix = 'shared system prompt';
    const home = pickEndpoint({
      endpoints: eps,
      tracker: t,
      maxConcurrency: 100,
      loadBalancing: pa,
      prefix,
      tick: 0,
    })!.id;
    const counts = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const id = pickEndpoint({
        endpoints: eps,
        tracker: t,
        maxConcurrency: 100,
        loadBalancing: pa,
        prefix,
        tick: i,
      })!.id;
      t.acquire('m', id);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    // Bound = ceil((total+1)/4 * 1.25): no endpoint runs far above the mean of 10.
    for (const c of counts.values()) expect(c).toBeLessThanOrEqual(13);
    expect(counts.get(home)).toBeGreaterThanOrEqual(10);
  });
});

describe('EndpointTracker demand', () => {
  it('counts in-flight and waiting requests per Model, and wakes waiters on release', async () => {
    const t = new EndpointTracker();
    t.acquire('m', 'a');
    t.acquire('m', 'a');
    const waiting = t.waitForChange('cold', 60_000);
    expect(Object.fromEntries(t.demand())).toEqual({ m: 2, cold: 1 });
    t.wake('cold');
    expect(await waiting).toBe(true);
    t.release('m', 'a');
    expect(Object.fromEntries(t.demand())).toEqual({ m: 1 });
  });

  it('a waiter times out (false) or is aborted (false)', async () => {
    const t = new EndpointTracker();
    expect(await t.waitForChange('m', 0)).toBe(false);
    const ctl = new AbortController();
    const p = t.waitForChange('m', 60_000, ctl.signal);
    ctl.abort();
    expect(await p).toBe(false);
    expect(t.waitingCount('m')).toBe(0);
  });
});
