import type { EndpointStore, EndpointTracker, ResourceSource } from '@bascule/gateway';
import { pause, type CapacityGate, type CapacityLease } from './capacity-gate.js';
import { targetPolicy } from './target-policy.js';

export interface TrackerGateOptions {
  resources: ResourceSource;
  store: EndpointStore;
  /** The gateway's tracker: its in-flight counts include interactive and queued requests. */
  tracker: EndpointTracker;
  /** Slots per Model kept free for interactive bursts (default 1). */
  reserve?: number;
}

/**
 * Headroom from the gateway in the same process: a Model's capacity is the sum of its ready,
 * non-ejected endpoints' concurrency limits (`maxConcurrency`); interactive load is the
 * gateway's in-flight count less the leases this gate holds (each queued request also passes
 * through the gateway). A job gets a slot only while capacity - reserve exceeds both, and
 * never while interactive requests wait in the gateway for a slot.
 */
export function createTrackerCapacityGate(o: TrackerGateOptions): CapacityGate {
  const ours = new Map<string, number>();
  let ourWaiters = 0;
  const reserve = o.reserve ?? 1;
  const free = (model: string): number => {
    const m = o.resources.snapshot().catalog.model(model);
    if (!m) return 0;
    const per = m.spec.maxConcurrency;
    let cap = 0;
    for (const e of o.store.endpoints(model)) if (e.ready && !o.tracker.isEjected(e.id)) cap += per;
    // Interactive requests waiting in the gateway for a slot come first.
    if (o.tracker.waitingCount(model) - ourWaiters > 0) return 0;
    const mine = ours.get(model) ?? 0;
    const interactive = Math.max(0, o.tracker.modelInFlightCount(model) - mine);
    return cap - reserve - interactive - mine;
  };
  return {
    tryAcquire(target): CapacityLease | undefined {
      const { models } = targetPolicy(o.resources.snapshot().catalog, target);
      for (const model of models) {
        if (free(model) <= 0) continue;
        ours.set(model, (ours.get(model) ?? 0) + 1);
        let done = false;
        return {
          model,
          release() {
            if (done) return;
            done = true;
            ours.set(model, Math.max(0, (ours.get(model) ?? 1) - 1));
          },
        };
      }
      return undefined;
    },
    async waitForChange(target, ms, signal) {
      const { models } = targetPolicy(o.resources.snapshot().catalog, target);
      const first = models[0];
      if (first === undefined) return pause(ms, signal);
      ourWaiters++;
      try {
        await o.tracker.waitForChange(first, ms, signal);
      } finally {
        ourWaiters--;
      }
    },
  };
}
