/**
 * The attempt loop's view of endpoints and time (LoopEnv), answered by the gateway's endpoint
 * store and tracker. One per tracker, made on first use: nothing is allocated per request.
 */
import type { EndpointFacts, LoopEnv } from '@bascule/router';
import type { EndpointStore } from '../endpoints/endpoint-store.js';
import type { EndpointTracker } from '../endpoints/endpoint-tracker.js';

const perTracker = new WeakMap<EndpointTracker, LoopEnv>();

export function loopEnvFor(store: EndpointStore, tracker: EndpointTracker): LoopEnv {
  let env = perTracker.get(tracker);
  if (!env) perTracker.set(tracker, (env = createLoopEnv(store, tracker)));
  return env;
}

function createLoopEnv(store: EndpointStore, tracker: EndpointTracker): LoopEnv {
  const endpoints: EndpointFacts = {
    allEjected: (model) => tracker.allEjected(store.endpoints(model)),
    hasHealthy: (model) => store.endpoints(model).some((e) => e.ready && !tracker.isEjected(e.id)),
    adapterLoading: (model, adapter) => {
      let ready = 0;
      for (const e of store.endpoints(model)) {
        if (!e.ready) continue;
        if (!e.adapters || e.adapters.includes(adapter)) return false;
        ready++;
      }
      return ready > 0;
    },
  };
  return { now: () => performance.now(), endpoints };
}
