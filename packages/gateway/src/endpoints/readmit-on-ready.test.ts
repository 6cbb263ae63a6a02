import { describe, expect, it } from 'vitest';
import { createStaticEndpointStore } from './endpoint-store.js';
import { EndpointTracker } from './endpoint-tracker.js';
import { readmitOnReady } from './readmit-on-ready.js';

const A = 'http://10.0.0.1:8000';
const B = 'http://10.0.0.2:8000';

describe('readmitOnReady', () => {
  it('ends the ejection of an endpoint that turns ready again, and only then', () => {
    let clock = 1_000;
    const tracker = new EndpointTracker({ now: () => clock, ejectMs: 10_000 });
    const store = createStaticEndpointStore();
    const stop = readmitOnReady(store, tracker);
    store.set('m', [
      { url: A, ready: true },
      { url: B, ready: true },
    ]);
    // A crashes: the gateway ejects it (twice: the cooldown doubles).
    tracker.eject('m', '10.0.0.1:8000');
    tracker.eject('m', '10.0.0.1:8000');
    tracker.eject('m', '10.0.0.2:8000');
    // A status update where A is still ready changes nothing: passive health stays in charge.
    store.set('m', [
      { url: A, ready: true },
      { url: B, ready: true },
    ]);
    clock += 1_000;
    expect(tracker.isEjected('10.0.0.1:8000')).toBe(true);
    // The kubelet marks A not ready, restarts it, and its readiness probe passes again.
    store.set('m', [
      { url: A, ready: false },
      { url: B, ready: true },
    ]);
    expect(tracker.isEjected('10.0.0.1:8000')).toBe(true);
    store.set('m', [
      { url: A, ready: true },
      { url: B, ready: true },
    ]);
    expect(tracker.isEjected('10.0.0.1:8000')).toBe(false);
    expect(tracker.state('10.0.0.1:8000').consecutiveFailures).toBe(0);
    // B never left the ready set: still ejected.
    expect(tracker.isEjected('10.0.0.2:8000')).toBe(true);
    // An endpoint that disappears and comes back (a replacement at the same address) too.
    store.set('m', [{ url: A, ready: true }]);
    store.set('m', [
      { url: A, ready: true },
      { url: B, ready: true },
    ]);
    expect(tracker.isEjected('10.0.0.2:8000')).toBe(false);
    stop();
  });

  it('does not readmit on the first sight of a Model', () => {
    const tracker = new EndpointTracker({ now: () => 0 });
    tracker.eject('m', '10.0.0.1:8000');
    const store = createStaticEndpointStore();
    readmitOnReady(store, tracker);
    store.set('m', [{ url: A, ready: true }]);
    expect(tracker.isEjected('10.0.0.1:8000')).toBe(true);
  });
});
