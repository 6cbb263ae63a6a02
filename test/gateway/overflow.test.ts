import { waitFor } from '@bascule/test-support';
import type { RunningEngine } from '@bascule/engine-sim';
import type { RunningProviderSim } from '@bascule/provider-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setEngineFaults } from './support/engine-faults.js';
import { modelResource, providerResource, routeResource } from './support/fixtures.js';
import {
  startEngine,
  startProviders,
  startTestGateway,
  type TestGateway,
} from './support/harness.js';

// Capacity-driven overflow: saturation, cold start, unschedulable, upstream errors, privacy.
describe('overflow', () => {
  let engine: RunningEngine;
  let openai: RunningProviderSim;
  let gw: TestGateway;
  const small = (status?: Record<string, unknown>) =>
    modelResource('small', { servedNames: ['small'], maxConcurrency: 2 }, status);
  const routes = [
    routeResource('chat', {
      targets: [{ model: 'small' }, { provider: 'openai', model: 'gpt-5-mini' }],
      fallback: { maxQueueWait: '20ms' },
    }),
    routeResource('private', {
      targets: [{ model: 'small' }],
      allowExternal: false,
      fallback: { maxQueueWait: '300ms' },
    }),
    routeResource('patient', {
      targets: [{ model: 'small' }, { provider: 'openai', model: 'gpt-5-mini' }],
      fallback: { triggers: ['noCapacity', 'upstreamError'], maxQueueWait: '5s' },
    }),
  ];

  beforeAll(async () => {
    engine = await startEngine({ served: 'small', timeScale: 20 });
    openai = (await startProviders(['openai'])).openai;
    gw = await startTestGateway({
      models: [small()],
      providers: [providerResource('openai', 'openai', openai.url, ['gpt-5-mini'])],
      routes,
      endpoints: { small: [engine] },
    });
  });
  afterEach(async () => {
    gw.resources.update({ models: [small()] });
    gw.store.set('small', [{ url: engine.url, ready: true }]);
    await setEngineFaults(engine, { slowStreamMs: 0, unavailableRate: 0 });
    openai.resetStats();
  });
  afterAll(async () => {
    await gw?.close();
    await engine?.close();
    await openai?.close();
  });

  const ask = (model: string, headers: Record<string, string> = {}) =>
    gw.client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hello' }], max_tokens: 4 }, { headers })
      .withResponse()
      .then(({ response }) => ({
        status: response.status,
        target: response.headers.get('x-bascule-target'),
        reason: response.headers.get('x-bascule-route-reason'),
      }));

  it('overflows with overflow:saturated while the Model is full, and comes back when load drops', async () => {
    await setEngineFaults(engine, { slowStreamMs: 150 });
    const holders = [0, 1].map(async () => {
      const s = await gw.client.chat.completions.create({
        model: 'chat',
        messages: [{ role: 'user', content: 'long story' }],
        max_tokens: 8,
        stream: true,
      });
      let n = 0;
      for await (const _ of s) n++;
      return n;
    });
    await waitFor(
      'two requests in flight',
      () => gw.gateway.tracker.modelInFlightCount('small') === 2,
      5000,
      10,
    );
    const during = await Promise.all([1, 2, 3, 4].map(() => ask('chat')));
    expect(during).toEqual(
      Array.from({ length: 4 }, () => ({
        status: 200,
        target: 'openai/gpt-5-mini',
        reason: 'overflow:saturated',
      })),
    );
    expect(openai.stats().requests).toBe(4);
    expect((await Promise.all(holders)).every((n) => n > 1)).toBe(true);
    await waitFor(
      'load to drop',
      () => gw.gateway.tracker.modelInFlightCount('small') === 0,
      5000,
      10,
    );
    expect(await ask('chat')).toEqual({ status: 200, target: 'small', reason: 'priority' });
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/bascule_gateway_overflow_total\{route="chat",reason="saturated"\} 4/);
  });

  it('overflows a Model at zero replicas with overflow:cold-start', async () => {
    gw.store.set('small', []);
    gw.resources.update({ models: [small({ replicas: { desired: 0, ready: 0 } })] });
    expect(await ask('chat')).toEqual({
      status: 200,
      target: 'openai/gpt-5-mini',
      reason: 'overflow:cold-start',
    });
  });

  it('counts a request overflowed away from a cold Model as its demand until it ends', async () => {
    gw.store.set('small', []);
    gw.resources.update({ models: [small({ replicas: { desired: 0, ready: 0 } })] });
    openai.setFaults({ hangMs: 300 });
    try {
      const pending = ask('chat');
      await waitFor(
        'the overflowed request to count for the cold Model',
        () => gw.gateway.tracker.overflowDemand().get('small') === 1,
        5000,
        10,
      );
      expect(await pending).toMatchObject({ status: 200, reason: 'overflow:cold-start' });
      await waitFor(
        'the overflow count to end with the request',
        () => !gw.gateway.tracker.overflowDemand().has('small'),
        5000,
        10,
      );
    } finally {
      openai.setFaults({});
    }
  });

  it('overflows an unschedulable Model with overflow:unschedulable', async () => {
    gw.store.set('small', []);
    gw.resources.update({
      models: [
        small({
          replicas: { desired: 1, ready: 0 },
          conditions: [{ type: 'CapacityAvailable', status: 'False', reason: 'InsufficientGPU' }],
        }),
      ],
    });
    expect(await ask('chat')).toEqual({
      status: 200,
      target: 'openai/gpt-5-mini',
      reason: 'overflow:unschedulable',
    });
  });

  it('with privacy strict, fails closed and never calls the provider', async () => {
    gw.store.set('small', []);
    gw.resources.update({ models: [small({ replicas: { desired: 0, ready: 0 } })] });
    for (const [model, headers] of [
      ['chat', { 'x-bascule-privacy': 'strict' }],
      ['private', {}],
      ['openai/gpt-5-mini', { 'x-bascule-privacy': 'strict' }],
    ] as const) {
      const r = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'secret' }] }),
      });
      const body = (await r.json()) as { error: { code: string; message: string } };
      expect([r.status, body.error.code, r.headers.get('x-bascule-route-reason')]).toEqual([
        503,
        'privacy_no_self_hosted_capacity',
        'privacy',
      ]);
      expect(body.error.message).toMatch(/privacy/);
      expect(r.headers.get('retry-after')).toBe('5');
    }
    expect(openai.stats().requests).toBe(0);
  });

  it('with privacy strict, waits for a cold Model that comes up within maxQueueWait', async () => {
    gw.store.set('small', []);
    gw.resources.update({ models: [small({ replicas: { desired: 1, ready: 0 } })] });
    const pending = ask('patient', { 'x-bascule-privacy': 'strict' });
    await waitFor(
      'the request to wait',
      () => gw.gateway.tracker.waitingCount('small') === 1,
      5000,
      10,
    );
    gw.resources.update({ models: [small({ replicas: { desired: 1, ready: 1 } })] });
    gw.store.set('small', [{ url: engine.url, ready: true }]);
    expect(await pending).toEqual({ status: 200, target: 'small', reason: 'privacy' });
    expect(openai.stats().requests).toBe(0);
  });

  it('a Route without the coldStart trigger waits for the Model instead of overflowing', async () => {
    gw.store.set('small', []);
    gw.resources.update({ models: [small({ replicas: { desired: 1, ready: 0 } })] });
    const pending = ask('patient');
    await waitFor(
      'the request to wait',
      () => gw.gateway.tracker.waitingCount('small') === 1,
      5000,
      10,
    );
    gw.store.set('small', [{ url: engine.url, ready: true }]);
    expect(await pending).toEqual({ status: 200, target: 'small', reason: 'priority' });
  });

  it('overflows on upstream 503 with overflow:upstream-error', async () => {
    await setEngineFaults(engine, { unavailableRate: 1 });
    expect(await ask('chat')).toEqual({
      status: 200,
      target: 'openai/gpt-5-mini',
      reason: 'overflow:upstream-error',
    });
    expect(gw.gateway.tracker.isEjected(new URL(engine.url).host)).toBe(true);
    // Ejected: the next request overflows without touching the engine.
    expect(await ask('chat')).toEqual({
      status: 200,
      target: 'openai/gpt-5-mini',
      reason: 'overflow:no-endpoints',
    });
  });
});
