import type { RunningEngine } from '@bascule/engine-sim';
import { APIError } from 'openai';
import { waitFor } from '@bascule/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setEngineFaults } from './support/engine-faults.js';
import { modelResource, routeResource } from './support/fixtures.js';
import { startEngine, startTestGateway, type TestGateway } from './support/harness.js';

// Passive health: a killed endpoint is ejected and requests are retried on another one before
// their first byte; streams already past it end with an error event.
describe('endpoint killed mid-run', () => {
  const engines: RunningEngine[] = [];
  let gw: TestGateway;

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) engines.push(await startEngine({ served: 'm', timeScale: 20 }));
    gw = await startTestGateway({
      models: [
        modelResource('pair', { servedNames: ['m'], maxConcurrency: 64 }),
        modelResource('solo', { servedNames: ['m'], maxConcurrency: 64 }),
      ],
      routes: [routeResource('chat', { targets: [{ model: 'pair' }] })],
      endpoints: { pair: [engines[0]!, engines[1]!], solo: [engines[2]!] },
      extra: { ejectMs: 60_000 },
    });
  });
  afterAll(async () => {
    await gw?.close();
    for (const e of engines) await e.close();
  });

  it('ejects the dead endpoint and retries its requests on the other one', async () => {
    const [dead, alive] = engines as [RunningEngine, RunningEngine];
    // Requests in flight on both endpoints when one dies: slow non-streaming answers.
    const inFlight = Array.from({ length: 8 }, () =>
      gw.client.chat.completions.create({
        model: 'chat',
        messages: [{ role: 'user', content: 'tell me a long story' }],
        max_tokens: 40,
      }),
    );
    const deadId = new URL(dead.url).host;
    await waitFor(
      'load on both',
      () =>
        gw.gateway.tracker.inFlight(deadId) > 0 &&
        gw.gateway.tracker.inFlight(new URL(alive.url).host) > 0,
      5000,
      10,
    );
    const onDead = gw.gateway.tracker.inFlight(deadId);
    const aliveBefore = alive.runtime.requestCount;
    await dead.close();
    const answers = await Promise.all(inFlight);
    // Every request that was on the dead endpoint was retried on the live one.
    expect(alive.runtime.requestCount - aliveBefore).toBeGreaterThanOrEqual(onDead);
    expect(answers.every((a) => a.choices[0]!.message.content!.length > 0)).toBe(true);
    expect(gw.gateway.tracker.isEjected(deadId)).toBe(true);
    // Later requests go straight to the live endpoint.
    for (let i = 0; i < 6; i++) {
      const { response } = await gw.client.chat.completions
        .create({ model: 'chat', messages: [{ role: 'user', content: `q${i}` }], max_tokens: 2 })
        .withResponse();
      expect(response.headers.get('x-bascule-target')).toBe('pair');
    }
    expect(gw.usage.filter((u) => u.route === 'chat').every((u) => u.status === 200)).toBe(true);
  });

  it('ends a stream already past its first byte with a clear error event', async () => {
    const victim = engines[2]!;
    await setEngineFaults(victim, { slowStreamMs: 100 });
    const stream = await gw.client.chat.completions.create({
      model: 'solo',
      messages: [{ role: 'user', content: 'stream a long answer' }],
      max_tokens: 50,
      stream: true,
    });
    let chunks = 0;
    let error: unknown;
    try {
      for await (const _ of stream) {
        chunks++;
        if (chunks === 2) void victim.close();
      }
    } catch (e) {
      error = e;
    }
    expect(chunks).toBeGreaterThanOrEqual(2);
    expect(error).toBeInstanceOf(APIError);
    expect((error as Error).message).toMatch(/failed mid-stream/);
    expect(gw.gateway.tracker.isEjected(new URL(victim.url).host)).toBe(true);
    // With its only endpoint gone and no provider to overflow to, the next request tries it
    // once more (panic mode) and fails fast with the reason, not after the queue wait.
    const r = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'solo', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(r.status).toBe(502);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('upstream_connection_error');
    expect(body.error.message).toMatch(/could not reach solo endpoint .*ECONNREFUSED/);
  }, 20_000);
});

// Panic mode only when the Model is the Route's last target: with a later target the request
// moves on (here after maxQueueWait, by the queueWait trigger) instead of retrying a dead pod.
describe('a dead first target on a queueWait Route', () => {
  let dead: RunningEngine;
  let spare: RunningEngine;
  let gw: TestGateway;

  beforeAll(async () => {
    dead = await startEngine({ served: 'm', timeScale: 20 });
    spare = await startEngine({ served: 'm', timeScale: 20 });
    gw = await startTestGateway({
      models: [
        modelResource('first', { servedNames: ['m'] }),
        modelResource('second', { servedNames: ['m'] }),
      ],
      routes: [
        routeResource('queue-then-next', {
          targets: [{ model: 'first' }, { model: 'second' }],
          fallback: { triggers: ['queueWait'], maxQueueWait: '300ms' },
        }),
      ],
      endpoints: { first: [dead], second: [spare] },
      extra: { ejectMs: 60_000 },
    });
    await dead.close();
  });
  afterAll(async () => {
    await gw?.close();
    await spare?.close();
  });

  it('after the first failure, requests go to the next target, not back to the dead pod', async () => {
    const ask = () =>
      fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({
          model: 'queue-then-next',
          messages: [{ role: 'user', content: 'x' }],
        }),
      });
    // The first request meets the dead pod; without the upstreamError trigger it is a 502.
    expect((await ask()).status).toBe(502);
    for (let i = 0; i < 3; i++) {
      const r = await ask();
      expect(r.status).toBe(200);
      expect(r.headers.get('x-bascule-target')).toBe('second');
    }
  });
});

// Panic mode: one failure must not shut a single-replica Model for the whole ejection cooldown.
describe('the only endpoint of a Model, ejected after one failure', () => {
  let engine: RunningEngine;
  let gw: TestGateway;

  beforeAll(async () => {
    engine = await startEngine({ served: 'm', timeScale: 20 });
    gw = await startTestGateway({
      models: [modelResource('single', { servedNames: ['m'] })],
      endpoints: { single: [engine] },
      extra: { ejectMs: 60_000 },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await engine?.close();
  });

  it('is tried again by the next request (which it serves) instead of refusing traffic for 60 s', async () => {
    const ask = () =>
      gw.client.chat.completions
        .create({ model: 'single', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 })
        .withResponse();
    await setEngineFaults(engine, { unavailableRate: 1 });
    await expect(ask()).rejects.toMatchObject({ status: 503 });
    const id = new URL(engine.url).host;
    expect(gw.gateway.tracker.isEjected(id)).toBe(true);
    await setEngineFaults(engine, { unavailableRate: 0 });
    const { response } = await ask();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-bascule-target')).toBe('single');
    // The success readmitted it for everyone.
    expect(gw.gateway.tracker.isEjected(id)).toBe(false);
  });
});
