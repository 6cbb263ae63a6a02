import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { REFERENCE_FITS } from './calibrate.js';
import { startEngineSim, type RunningEngine } from './start-engine-sim.js';
import { waitFor } from '@bascule/test-support';
import { VirtualClock } from './virtual-clock.js';

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const chat = { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 3 };

describe('engine-sim load time and faults', () => {
  const engines: RunningEngine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });
  const start = async (
    argv: string[],
    extra: Partial<Parameters<typeof startEngineSim>[0]> = {},
  ) => {
    const e = await startEngineSim({
      argv: ['--model', 'meta-llama/Llama-3.1-8B', '--served-model-name', 'm', ...argv],
      port: 0,
      loadSeconds: 0,
      tokenizer: 'approx',
      ...extra,
    });
    engines.push(e);
    return e;
  };

  it('is unhealthy until the simulated load is done, then answers in virtual time', async () => {
    const clock = new VirtualClock();
    const e = await start(['--output-tokens', 'max'], { clock, loadSeconds: 30, timeScale: 2 });
    const loading = await fetch(`${e.url}/health`);
    expect(loading.status).toBe(503);
    expect(await loading.json()).toMatchObject({
      error: { type: 'ServiceUnavailableError', code: 503 },
    });
    clock.advance(14_999); // 30 model seconds at time scale 2 = 15 s of clock time
    expect((await fetch(`${e.url}/health`)).status).toBe(503);
    clock.advance(1);
    await e.ready;
    expect((await fetch(`${e.url}/health`)).status).toBe(200);

    const pending = post(`${e.url}/v1/chat/completions`, chat);
    await waitFor(
      'the request to be scheduled',
      () => {
        clock.advance(0); // the scheduler starts a step on the next tick
        return e.runtime.scheduler.stats().running === 1;
      },
      15_000,
      5,
    );
    const c = REFERENCE_FITS.h100;
    const prompt = e.runtime.scheduler.stats().kvUsedTokens;
    const totalMs = (c.b0 + c.b1 * prompt + 2 * (c.b0 + c.b2)) / 1000; // prefill step + 2 decode steps
    clock.advance(totalMs / 2 - 0.001); // 2 µs of model time short of the last token
    expect(e.runtime.scheduler.stats().running).toBe(1);
    clock.advance(0.002); // (a margin for floating-point rounding of the timer's due time)
    const res = await pending;
    expect(res.status).toBe(200);
    expect(
      ((await res.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens,
    ).toBe(3);
  });

  it('injects 500s and 503s by flag and through the admin endpoint', async () => {
    const e = await start(['--fault-error-rate', '1']);
    const client = new OpenAI({ baseURL: `${e.url}/v1`, apiKey: 'x', maxRetries: 0 });
    await expect(
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    const set = await post(`${e.url}/admin/faults`, { errorRate: 0, unavailableRate: 1 });
    expect(
      ((await set.json()) as { faults: { unavailableRate: number } }).faults.unavailableRate,
    ).toBe(1);
    const res = await post(`${e.url}/v1/chat/completions`, chat);
    expect(res.status).toBe(503);
    const bad = await post(`${e.url}/admin/faults`, { errorRate: 2 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^errorRate: /);
    await post(`${e.url}/admin/faults`, { unavailableRate: 0 });
    expect((await post(`${e.url}/v1/chat/completions`, chat)).status).toBe(200);
  });

  it('crashes after N requests: connections drop and exited resolves 1', async () => {
    const e = await start(['--fault-crash-after', '2']);
    expect((await post(`${e.url}/v1/chat/completions`, chat)).status).toBe(200);
    expect((await post(`${e.url}/v1/chat/completions`, chat)).status).toBe(200);
    await expect(post(`${e.url}/v1/chat/completions`, chat)).rejects.toThrow();
    expect(await e.exited).toBe(1);
    await expect(fetch(`${e.url}/health`)).rejects.toThrow();
  });

  it('hangs requests until the engine is closed', async () => {
    const e = await start(['--fault-hang-rate', '1']);
    const hung = post(`${e.url}/v1/chat/completions`, chat);
    hung.catch(() => undefined);
    await waitFor(
      'the hung request to arrive',
      async () => {
        const r = (await (await fetch(`${e.url}/admin/faults`)).json()) as { requests: number };
        return r.requests === 1;
      },
      15_000,
      5,
    );
    await e.close();
    await expect(hung).rejects.toThrow();
    expect(await e.exited).toBe(0);
  });

  it('refuses to start when the model does not fit, like vLLM', async () => {
    await expect(start(['--max-model-len', '200000'], { gpu: 'l4' })).rejects.toThrow(
      /To serve at least one request with the models's max seq len \(200000\)/,
    );
    await expect(start([], { gpu: 'tpu-v5' })).rejects.toThrow(/unknown GPU type "tpu-v5"/);
  });
});
