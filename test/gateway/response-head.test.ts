// Every answer's head is written once, with its request id and route headers in it (ADR 0033:
// the headers are kept aside and written in one writeHead): a chat answer, a stream, a 404 and
// a 400 each carry exactly one x-request-id, and the id is the one metered.
import type { RunningEngine } from '@bascule/engine-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelResource, routeResource } from './support/fixtures.js';
import { startEngine, startTestGateway, type TestGateway } from './support/harness.js';

const ONE_ID = /^[A-Za-z0-9_-]+$/; // two headers would be joined with ", "

describe('the response head', () => {
  let engine: RunningEngine;
  let gw: TestGateway;

  beforeAll(async () => {
    engine = await startEngine({ served: 'small' });
    gw = await startTestGateway({
      models: [modelResource('small', { servedNames: ['small'] })],
      routes: [routeResource('chat', { targets: [{ model: 'small' }] })],
      endpoints: { small: [engine] },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await engine?.close();
  });

  const post = (body: unknown, raw?: string) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw ?? JSON.stringify(body),
    });

  it('a chat answer carries one request id (the metered one) and its route headers', async () => {
    const r = await post({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    expect(r.status).toBe(200);
    await r.json();
    const id = r.headers.get('x-request-id');
    expect(id).toMatch(ONE_ID);
    expect(r.headers.get('x-bascule-target')).toBe('small');
    expect(r.headers.get('x-bascule-route-reason')).toBeTruthy();
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(gw.usage.at(-1)?.requestId).toBe(id);
  });

  it('a stream carries one request id, and usage is metered though the client did not ask', async () => {
    const before = gw.usage.length;
    const r = await post({
      model: 'chat',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(r.headers.get('x-request-id')).toMatch(ONE_ID);
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(text).toContain('data: [DONE]');
    expect(text).not.toMatch(/"choices":\[\],"usage"/); // the gateway's own usage chunk is dropped
    expect(gw.usage.length).toBe(before + 1);
    expect(gw.usage.at(-1)!.completionTokens).toBeGreaterThan(0);
  });

  it('errors carry one request id too, and two requests never share one', async () => {
    const unknown = await post({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] });
    expect(unknown.status).toBe(404);
    const bad = await post(undefined, '{"model":');
    expect(bad.status).toBe(400);
    const ids = [unknown, bad].map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(ONE_ID);
    expect(new Set(ids).size).toBe(2);
  });
});
