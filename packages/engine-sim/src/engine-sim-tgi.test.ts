import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineSim, type RunningEngine } from './start-engine-sim.js';
import { sample, scrape } from './test-support.js';
import { waitFor } from '@bascule/test-support';

/** Reads a TGI SSE body ("data:{...}" events) into parsed events. */
async function readSse(res: Response): Promise<unknown[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((e) => e.startsWith('data:'))
    .map((e) => e.slice('data:'.length))
    .filter((d) => d !== '[DONE]')
    .map((d) => JSON.parse(d) as unknown);
}

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('engine-sim (TGI)', () => {
  let engine: RunningEngine;

  beforeAll(async () => {
    engine = await startEngineSim({
      argv: [
        '--model-id',
        'mistralai/Mistral-7B-Instruct-v0.3',
        '--max-concurrent-requests',
        '3',
        '--max-input-tokens',
        '1000',
        '--max-total-tokens',
        '1200',
        '--num-shard',
        '1',
        '--some-new-flag',
        'on',
        '--output-tokens',
        'max',
      ],
      port: 0,
      loadSeconds: 0,
      timeScale: 5,
      tokenizer: 'approx',
    });
    await engine.ready;
  });
  afterAll(() => engine.close());

  it('infers TGI from --model-id and serves /info and /health', async () => {
    expect(engine.engine).toBe('tgi');
    const info = (await (await fetch(`${engine.url}/info`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({
      model_id: 'mistralai/Mistral-7B-Instruct-v0.3',
      max_concurrent_requests: 3,
      max_input_tokens: 1000,
      max_total_tokens: 1200,
    });
    expect((await fetch(`${engine.url}/health`)).status).toBe(200);
  });

  it('generates with details, and streams tokens ending with generated_text', async () => {
    const res = await post(`${engine.url}/generate`, {
      inputs: 'Hello',
      parameters: { max_new_tokens: 6, details: true, seed: 1 },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-generated-tokens')).toBe('6');
    const body = (await res.json()) as {
      generated_text: string;
      details: { finish_reason: string; generated_tokens: number; tokens: unknown[] };
    };
    expect(body.details).toMatchObject({ finish_reason: 'length', generated_tokens: 6 });
    expect(body.details.tokens).toHaveLength(6);
    const events = (await readSse(
      await post(`${engine.url}/generate_stream`, {
        inputs: 'Hello',
        parameters: { max_new_tokens: 6, seed: 1 },
      }),
    )) as Array<{
      index: number;
      token: { text: string };
      generated_text: string | null;
    }>;
    expect(events.map((e) => e.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.slice(0, 5).every((e) => e.generated_text === null)).toBe(true);
    expect(events[5]!.generated_text).toBe(body.generated_text);
    expect(events.map((e) => e.token.text).join('')).toBe(body.generated_text);
  });

  it('stops at a stop sequence and keeps it, as TGI does', async () => {
    const base = (await (
      await post(`${engine.url}/generate`, {
        inputs: 'stop',
        parameters: { max_new_tokens: 20, seed: 4 },
      })
    ).json()) as {
      generated_text: string;
    };
    const word = base.generated_text.split(' ')[3]!;
    const res = await post(`${engine.url}/generate`, {
      inputs: 'stop',
      parameters: { max_new_tokens: 20, seed: 4, stop: [word], details: true },
    });
    const body = (await res.json()) as {
      generated_text: string;
      details: { finish_reason: string };
    };
    expect(body.details.finish_reason).toBe('stop_sequence');
    expect(body.generated_text).toBe(
      base.generated_text.slice(0, base.generated_text.indexOf(word) + word.length),
    );
  });

  it('serves the Messages API to the openai SDK', async () => {
    const client = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const done = await client.chat.completions.create({
      model: 'tgi',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 5,
    });
    expect(done.choices[0]!.finish_reason).toBe('length');
    expect(done.usage!.completion_tokens).toBe(5);
    const stream = await client.chat.completions.create({
      model: 'tgi',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 5,
      stream: true,
    });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text).toBe(done.choices[0]!.message.content);
  });

  it('rejects like TGI: 422 validation, 429 overloaded', async () => {
    const long = await post(`${engine.url}/generate`, {
      inputs: 'x'.repeat(4100),
      parameters: { max_new_tokens: 5 },
    });
    expect(long.status).toBe(422);
    expect(await long.json()).toEqual({
      error: 'Input validation error: `inputs` must have less than 1000 tokens. Given: 1025',
      error_type: 'validation',
    });
    const total = await post(`${engine.url}/generate`, {
      inputs: 'x'.repeat(3200),
      parameters: { max_new_tokens: 500 },
    });
    expect(await total.json()).toMatchObject({
      error: expect.stringContaining(
        '`inputs` tokens + `max_new_tokens` must be <= 1200',
      ) as unknown,
    });
    const missing = await post(`${engine.url}/generate`, { parameters: {} });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({
      error: expect.stringContaining('missing field `inputs`') as unknown,
    });

    const inflight = Array.from({ length: 3 }, () =>
      post(`${engine.url}/generate`, { inputs: 'busy', parameters: { max_new_tokens: 1000 } }),
    );
    await waitFor(
      'three requests in flight',
      async () => {
        const m = await scrape(engine.url);
        return (
          (sample(m, 'tgi_batch_current_size') ?? 0) + (sample(m, 'tgi_queue_size') ?? 0) === 3
        );
      },
      15_000,
      5,
    );
    const over = await post(`${engine.url}/generate`, {
      inputs: 'one more',
      parameters: { max_new_tokens: 5 },
    });
    expect(over.status).toBe(429);
    expect(await over.json()).toEqual({ error: 'Model is overloaded', error_type: 'overloaded' });
    await Promise.all(inflight);
    const m = await scrape(engine.url);
    expect(sample(m, 'tgi_batch_current_size')).toBe(0);
    expect(sample(m, 'tgi_queue_size')).toBe(0);
    expect(sample(m, 'tgi_request_success')).toBeGreaterThanOrEqual(5);
    expect(m.find((f) => f.name === 'tgi_request_duration')?.type).toBe('HISTOGRAM');
    expect(m.find((f) => f.name === 'tgi_request_generated_tokens')?.type).toBe('HISTOGRAM');
  });
});
