import { waitFor } from '@bascule/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ProviderSimOptionsError,
  startProviderSim,
  type ProviderSimOptions,
  type RunningProviderSim,
} from './index.js';

const KEY = 'k-test';
const started: RunningProviderSim[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function start(options: Partial<ProviderSimOptions> = {}): Promise<RunningProviderSim> {
  const sim = await startProviderSim({ type: 'openai', apiKey: KEY, ...options });
  started.push(sim);
  return sim;
}

function chat(
  sim: RunningProviderSim,
  extra: Record<string, unknown> = {},
  init: RequestInit = {},
): Promise<Response> {
  return fetch(`${sim.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      ...extra,
    }),
    ...init,
  });
}

describe('startProviderSim', () => {
  it('rejects bad options naming the field', async () => {
    await expect(startProviderSim({ type: 'azure' as 'openai', apiKey: KEY })).rejects.toThrow(
      /options\.type/,
    );
    await expect(startProviderSim({ type: 'openai', apiKey: '' })).rejects.toThrow(
      /options\.apiKey/,
    );
    await expect(
      startProviderSim({ type: 'openai', apiKey: KEY, faults: { errorRate: 2 } }),
    ).rejects.toBeInstanceOf(ProviderSimOptionsError);
    const sim = await start();
    expect(() => sim.setFaults({ status: 200 })).toThrow(/faults\.status/);
  });

  it('binds to loopback on an ephemeral port', async () => {
    const sim = await start();
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves stats and faults over the admin endpoints', async () => {
    const sim = await start();
    expect((await chat(sim)).status).toBe(200);
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as {
      requests: number;
      outputTokens: number;
    };
    expect(stats.requests).toBe(1);
    expect(stats.outputTokens).toBeGreaterThan(0);

    const set = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ rateLimitEvery: 1, retryAfterSeconds: 4 }),
    });
    expect(await set.json()).toEqual({ rateLimitEvery: 1, retryAfterSeconds: 4 });
    const limited = await chat(sim);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('4');

    const bad = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ errorRate: 'lots' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^faults\.errorRate/);
    const unknownField = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ explode: true }),
    });
    expect(unknownField.status).toBe(400);

    await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: '{}' });
    expect((await chat(sim)).status).toBe(200);
    // What arrived, body and all (tests check what a gateway really sent).
    const last = sim.received().at(-1);
    expect(last?.path).toBe('/v1/chat/completions');
    expect((last?.body as { model?: string }).model).toBe('gpt-4o-mini');
    await fetch(`${sim.url}/_sim/stats/reset`, { method: 'POST' });
    expect(sim.stats()).toEqual({ requests: 0, byPath: {}, inputTokens: 0, outputTokens: 0 });
    expect(sim.received()).toEqual([]);
  });

  it('draws injected errors deterministically from the seed', async () => {
    const statuses = async (): Promise<number[]> => {
      const sim = await start({ seed: 5, faults: { errorRate: 0.5, status: 502 } });
      const out: number[] = [];
      for (let i = 0; i < 16; i++) out.push((await chat(sim)).status);
      return out;
    };
    const a = await statuses();
    expect(await statuses()).toEqual(a);
    expect(a).toContain(502);
    expect(a).toContain(200);
  });

  it('holds requests while hangMs is set and survives the client giving up', async () => {
    const sim = await start({ faults: { hangMs: 60_000 } });
    const abort = new AbortController();
    const pending = chat(sim, {}, { signal: abort.signal }).catch((e: unknown) => e);
    await waitFor('the request to be counted', () => sim.stats().requests === 1, 5_000, 10);
    abort.abort();
    expect(await pending).toBeInstanceOf(Error);
    sim.setFaults({});
    expect((await chat(sim)).status).toBe(200);
  });

  it('survives a client leaving mid-stream under per-token latency', async () => {
    const sim = await start({ latency: { perTokenMs: 20 } });
    const abort = new AbortController();
    const res = await chat(sim, { stream: true }, { signal: abort.signal });
    const reader = res.body?.getReader();
    await reader?.read();
    abort.abort();
    await reader?.read().catch(() => undefined);
    expect((await chat(sim, { max_tokens: 1 })).status).toBe(200);
    expect(sim.stats().requests).toBe(2);
  });

  it('answers unknown paths, wrong methods and bad JSON in the provider shape', async () => {
    const sim = await start();
    const auth = { authorization: `Bearer ${KEY}` };
    const missing = await fetch(`${sim.url}/v1/nothing`, { method: 'POST', headers: auth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect((await fetch(`${sim.url}/v1/chat/completions`, { headers: auth })).status).toBe(405);
    const badJson = await fetch(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      headers: auth,
      body: '{nope',
    });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { message: string } }).error.message).toMatch(
      /JSON/,
    );
    const noKey = await fetch(`${sim.url}/v1/models`);
    expect(noKey.status).toBe(401);
  });

  it('gemini without a key is 403 PERMISSION_DENIED; anthropic accepts a bearer token', async () => {
    const gemini = await start({ type: 'gemini' });
    const res = await fetch(`${gemini.url}/v1beta/models`);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
    const anthropic = await start({ type: 'anthropic' });
    const ok = await fetch(`${anthropic.url}/v1/models`, {
      headers: { authorization: `Bearer ${KEY}`, 'anthropic-version': '2023-06-01' },
    });
    expect(ok.status).toBe(200);
  });

  it('paces tokens with the configured latency (recorded through the sleep hook)', async () => {
    const waits: number[] = [];
    const sleep = (ms: number): Promise<boolean> => {
      waits.push(ms);
      return Promise.resolve(true);
    };
    const sim = await start({ latency: { firstTokenMs: 300, perTokenMs: 20 }, sleep });
    expect((await chat(sim, { max_tokens: 5 })).status).toBe(200);
    expect(waits).toEqual([300 + 4 * 20]);
    waits.length = 0;
    const streamed = await chat(sim, { max_tokens: 5, stream: true });
    const text = await streamed.text();
    expect(text.match(/"content":"[^"]+"/g)).toHaveLength(5);
    expect(waits).toEqual([300, 20, 20, 20, 20]);
  });

  it('rejects prompts longer than the context window in each provider shape', async () => {
    const long = 'word '.repeat(50);
    const openai = await start({ contextWindow: { 'gpt-4o-mini': 20 } });
    const o = await chat(openai, { messages: [{ role: 'user', content: long }] });
    expect(o.status).toBe(400);
    expect(await o.json()).toMatchObject({
      error: { code: 'context_length_exceeded', param: 'messages', type: 'invalid_request_error' },
    });
    expect(
      (await chat(openai, { model: 'gpt-4o', messages: [{ role: 'user', content: long }] })).status,
    ).toBe(200);

    const anthropic = await start({ type: 'anthropic', contextWindow: 20 });
    const a = await fetch(`${anthropic.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'claude-haiku-4-5',
        max_tokens: 5,
        messages: [{ role: 'user', content: long }],
      }),
    });
    expect(a.status).toBe(400);
    const aBody = (await a.json()) as { error: { message: string }; request_id: string };
    expect(aBody.error.message).toMatch(/^prompt is too long: \d+ tokens > 20 maximum$/);
    expect(aBody.request_id).toBe(a.headers.get('request-id'));

    const gemini = await start({ type: 'gemini', contextWindow: 20 });
    const g = await fetch(`${gemini.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': KEY },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: long }] }] }),
    });
    expect(g.status).toBe(400);
    expect(await g.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
  });
});
