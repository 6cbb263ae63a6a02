/**
 * The gateway's side of the queue's capacity port (`ModelLoad` in @bascule/queue): a Model's
 * slots from the endpoint store, its in-flight and waiting counts from this gateway's tracker.
 * The shape is the port's; the gateway does not import the queue (the wiring hands this object
 * to the queue's headroom gate, and the type checker matches the two there).
 */
import type { ResourceSource } from '../resources/resource-source.js';
import type { EndpointStore } from './endpoint-store.js';
import type { EndpointTracker } from './endpoint-tracker.js';

export function gatewayModelLoad(
  resources: ResourceSource,
  store: EndpointStore,
  tracker: EndpointTracker,
) {
  return {
    slots(model: string): number {
      const m = resources.snapshot().catalog.model(model);
      if (!m) return 0;
      let ready = 0;
      for (const e of store.endpoints(model)) if (e.ready && !tracker.isEjected(e.id)) ready++;
      return ready * m.spec.maxConcurrency;
    },
    inFlight: (model: string): number => tracker.modelInFlightCount(model),
    waiting: (model: string): number => tracker.waitingCount(model),
    waitForChange: (model: string, ms: number, signal?: AbortSignal): Promise<boolean> =>
      tracker.waitForChange(model, ms, signal),
  };
}
