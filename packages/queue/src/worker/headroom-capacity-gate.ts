import type { RoutingCatalog } from '@bascule/router';
import { pause, type CapacityGate, type CapacityLease } from './capacity-gate.js';
import { targetPolicy } from './target-policy.js';

/**
 * The capacity port: what the queue needs to know of a Model's self-hosted load to take only
 * the headroom interactive traffic leaves. The gateway in the same process implements it
 * (`gatewayModelLoad` in @bascule/gateway: its endpoint store and in-flight tracker); the queue
 * never imports the gateway.
 */
export interface ModelLoad {
  /** Concurrency slots of the Model's ready endpoints that take traffic (`maxConcurrency` each). */
  slots(model: string): number;
  /** Requests in flight on the Model through the gateway: interactive and queued ones. */
  inFlight(model: string): number;
  /** Requests waiting in the gateway for one of the Model's slots. */
  waiting(model: string): number;
  /** Resolves when the Model's load may have changed, after at most `ms`, or on abort. */
  waitForChange(model: string, ms: number, signal?: AbortSignal): Promise<unknown>;
}

export interface HeadroomGateOptions {
  /** Routes and Models (a target's Models and their order). */
  catalog: () => RoutingCatalog;
  load: ModelLoad;
  /** Slots per Model kept free for interactive bursts (default 1). */
  reserve?: number;
}

/**
 * Headroom from the gateway in the same process: a Model's capacity is its slots; interactive
 * load is the gateway's in-flight count less the leases this gate holds (each queued request
 * also passes through the gateway). A job gets a slot only while capacity - reserve exceeds
 * both, and never while interactive requests wait in the gateway for a slot.
 */
export function createHeadroomCapacityGate(o: HeadroomGateOptions): CapacityGate {
  const ours = new Map<string, number>();
  let ourWaiters = 0;
  const reserve = o.reserve ?? 1;
  const free = (model: string): number => {
    const cap = o.load.slots(model);
    // Interactive requests waiting in the gateway for a slot come first.
    if (o.load.waiting(model) - ourWaiters > 0) return 0;
    const mine = ours.get(model) ?? 0;
    const interactive = Math.max(0, o.load.inFlight(model) - mine);
    return cap - reserve - interactive - mine;
  };
  return {
    tryAcquire(target): CapacityLease | undefined {
      const { models } = targetPolicy(o.catalog(), target);
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
      const { models } = targetPolicy(o.catalog(), target);
      const first = models[0];
      if (first === undefined) return pause(ms, signal);
      ourWaiters++;
      try {
        await o.load.waitForChange(first, ms, signal);
      } finally {
        ourWaiters--;
      }
    },
  };
}
