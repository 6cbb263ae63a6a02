import type { RunningEngine } from '@bascule/engine-sim';
import { waitFor } from '@bascule/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setEngineFaults } from './support/engine-faults.js';
import { modelResource, routeResource } from './support/fixtures.js';
import { startEngine, startTestGateway, type TestGateway } from './support/harness.js';

// A request that meets a dead endpoint before its first byte, on a Route with nowhere to
// overflow, waits for headroom on the Model's healthy (but busy) endpoint instead of failing.
describe('retry after a dead endpoint when the healthy one is full', () => {
  let dead: RunningEngine;
  let busy: RunningEngine;
  let gw: TestGateway;

  beforeAll(async () => {
    dead = await startEngine({ served: 'm', timeScale: 20 });
    busy = await startEngine({ served: 'm', timeScale: 20 });
    gw = await startTestGateway({
      models: [modelResource('one-slot', { servedNames: ['m'], maxConcurrency: 1 })],
      routes: [
        routeResource('patient', {
          targets: [{ model: 'one-slot' }],
          fallback: { maxQueueWait: '20s' },
        }),
      ],
      endpoints: { 'one-slot': [busy] },
    });
    await dead.close();
  });
  afterAll(async () => {
    await gw?.close();
    await busy?.close();
  });

  it('is served by the busy endpoint once its slot frees, not refused with a 502', async () => {
    // Hold the busy endpoint's only slot with a slow stream.
    await setEngineFaults(busy, { slowStreamMs: 40 });
    const holder = await gw.client.chat.completions.create({
      model: 'patient',
      messages: [{ role: 'user', content: 'hold the slot' }],
      max_tokens: 30,
      stream: true,
    });
    const reader = holder[Symbol.asyncIterator]();
    await reader.next();
    const busyId = new URL(busy.url).host;
    await waitFor('the slot held', () => gw.gateway.tracker.inFlight(busyId) === 1, 5_000, 10);
    // Now the Model gets a second endpoint, whose pod has just died.
    gw.store.set('one-slot', [
      { url: dead.url, ready: true },
      { url: busy.url, ready: true },
    ]);
    // The next request picks the idle (dead) endpoint first: refused, ejected, retried on the
    // busy one, which is full. It must wait for the slot, then succeed.
    const pending = gw.client.chat.completions
      .create({ model: 'patient', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 })
      .withResponse();
    await waitFor(
      'the dead endpoint ejected',
      () => gw.gateway.tracker.isEjected(new URL(dead.url).host),
      5_000,
      10,
    );
    for (let n = await reader.next(); !n.done; n = await reader.next());
    const { response } = await pending;
    expect(response.status).toBe(200);
    expect(response.headers.get('x-bascule-target')).toBe('one-slot');
  }, 30_000);
});

// An overloaded Model (503 from its engines) is not hammered: one request, one attempt.
describe('engines answering 503 (overloaded)', () => {
  const engines: RunningEngine[] = [];
  let gw: TestGateway;

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) engines.push(await startEngine({ served: 'm', timeScale: 20 }));
    gw = await startTestGateway({
      models: [modelResource('busy', { servedNames: ['m'] })],
      routes: [routeResource('only-busy', { targets: [{ model: 'busy' }] })],
      endpoints: { busy: engines },
    });
  });
  afterAll(async () => {
    await gw?.close();
    for (const e of engines) await e.close();
  });

  it('a request tries one endpoint, ejects only it, and gets the 503', async () => {
    for (const e of engines) await setEngineFaults(e, { unavailableRate: 1 });
    const before = engines.map((e) => e.runtime.requestCount);
    const r = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'only-busy', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(r.status).toBe(503);
    const hits = engines.map((e, i) => e.runtime.requestCount - before[i]!);
    expect(hits.reduce((a, b) => a + b, 0)).toBe(1);
    const ejected = engines.filter((e) => gw.gateway.tracker.isEjected(new URL(e.url).host));
    expect(ejected).toHaveLength(1);
  });
});
