import type { CapacityLookup, ModelCapacity } from '@bascule/router';
import type { Model } from '@bascule/spec';
import type { RoutingCatalog } from '@bascule/router';
import type { EndpointStore } from './endpoint-store.js';
import type { EndpointTracker } from './endpoint-tracker.js';

/**
 * The router's view of a Model's capacity: reachable endpoints and their headroom from the
 * endpoint store and this gateway's in-flight counts; replicas and schedulability from the
 * Model's status (written by the controller).
 */
export function createCapacityLookup(
  catalog: RoutingCatalog,
  store: EndpointStore,
  tracker: EndpointTracker,
): CapacityLookup {
  return (name) => {
    const model = catalog.model(name);
    if (!model)
      return {
        endpoints: 0,
        withHeadroom: 0,
        readyReplicas: 0,
        desiredReplicas: 0,
        unschedulable: false,
      };
    return modelCapacity(model, store, tracker);
  };
}

export function modelCapacity(
  model: Model,
  store: EndpointStore,
  tracker: EndpointTracker,
): ModelCapacity {
  const name = model.metadata.name;
  const max = model.spec.maxConcurrency;
  let endpoints = 0;
  let withHeadroom = 0;
  let listed = 0;
  for (const e of store.endpoints(name)) {
    if (!e.ready) continue;
    listed++;
    if (tracker.isEjected(e.id)) continue;
    endpoints++;
    if (tracker.inFlight(e.id) < max) withHeadroom++;
  }
  const status = model.status;
  const readyReplicas = status?.replicas?.ready ?? listed;
  const desiredReplicas =
    status?.replicas?.desired ?? model.spec.replicas ?? model.spec.autoscaling.minReplicas;
  const unschedulable =
    status?.conditions?.some((c) => c.type === 'CapacityAvailable' && c.status === 'False') ??
    false;
  const cap: ModelCapacity = {
    endpoints,
    withHeadroom,
    // Endpoints the store sees are ready replicas even if the status lags behind.
    readyReplicas: Math.max(readyReplicas, endpoints),
    desiredReplicas,
    unschedulable,
  };
  const mean = tracker.meanLatencyMs(name);
  if (endpoints > 0 && withHeadroom === 0 && mean !== undefined) {
    // Requests ahead of us finish at a rate of slots / mean latency.
    const slots = endpoints * max;
    const waiting = tracker.waitingCount(name);
    cap.expectedWaitMs = (mean * (waiting + 1)) / slots;
  }
  return cap;
}
