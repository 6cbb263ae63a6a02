import type { EndpointStore } from './endpoint-store.js';
import type { EndpointTracker } from './endpoint-tracker.js';

/**
 * Readmits an ejected endpoint when its Model's status shows it turning ready again (not ready
 * or absent before): Kubernetes has restarted or replaced the process behind it and its
 * readiness probe passed. Without this, a replica that crashed and came back stays out of
 * rotation for the rest of its cooldown (up to 80 s), even when it is the only one left.
 * Returns the function that stops listening.
 */
export function readmitOnReady(store: EndpointStore, tracker: EndpointTracker): () => void {
  const readyBefore = new Map<string, Set<string>>();
  return store.onChange((model) => {
    const was = readyBefore.get(model);
    const now = new Set<string>();
    for (const e of store.endpoints(model)) {
      if (!e.ready) continue;
      now.add(e.id);
      if (was && !was.has(e.id)) tracker.readmit(e.id);
    }
    readyBefore.set(model, now);
  });
}
