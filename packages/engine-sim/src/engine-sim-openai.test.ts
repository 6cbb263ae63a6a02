import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineSim, type RunningEngine } from './start-engine-sim.js';

// The official openai SDK is the judge of vLLM wire-format fidelity.
describe('engine-sim (vLLM) with the openai SDK', () => {
  let engine: RunningEngine;
  let client: OpenAI;

  beforeAll(async () => {
    engine = await startEngineSim({
      argv: [
        'vllm',
        'serve',
        'meta-llama/Llama-3.1-8B-Instruct',
        '--served-model-name',
        'llama-8b',
        'llama',
        '--enable-lora',
        '--lora-modules',
        'sql-lora=/adapters/sql',
        '--max-model-len',
        '4096',
        '--trust-remote-code',
        '--some-future-flag',
        'x',
      ],
      port: 0,
      timeScale: 100,
      loadSeconds: 0,
    });
    await engine.ready;
    client = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(() => engine.close());

  it('lists served names and LoRA adapters', async () => {
    const models = await client.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toEqual(['llama-8b', 'llama', 'sql-lora']);
    expect((models.data[2] as unknown as { parent: string }).parent).toBe('llama-8b');
  });

  it('completes a chat deterministically, with usage', async () => {
    const req = {
      model: 'llama',
      messages: [{ role: 'user' as const, content: 'Say hello' }],
      max_tokens: 12,
      seed: 7,
    };
    const a = await client.chat.completions.create(req);
    const b = await client.chat.completions.create(req);
    expect(a.object).toBe('chat.completion');
    expect(a.model).toBe('llama-8b');
    expect(a.choices[0]!.message.content).toBe(b.choices[0]!.message.content);
    expect(a.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(a.usage!.completion_tokens).toBeLessThanOrEqual(12);
    expect(a.usage!.total_tokens).toBe(a.usage!.prompt_tokens + a.usage!.completion_tokens);
    expect(a.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
  });

  it('streams chat chunks with include_usage and the same text as non-streaming', async () => {
    const req = {
      model: 'llama-8b',
      messages: [{ role: 'user' as const, content: 'Stream please' }],
      max_tokens: 20,
      seed: 3,
    };
    const whole = await client.chat.completions.create(req);
    const stream = await client.chat.completions.create({
      ...req,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    let first = true;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      if (first) expect(chunk.choices[0]!.delta.role).toBe('assistant');
      first = false;
      if (chunk.usage) usage = chunk.usage;
      for (const c of chunk.choices) {
        text += c.delta.content ?? '';
        if (c.finish_reason) finish = c.finish_reason;
      }
    }
    expect(text).toBe(whole.choices[0]!.message.content);
    expect(finish).toBe(whole.choices[0]!.finish_reason);
    expect(usage?.completion_tokens).toBe(whole.usage!.completion_tokens);
  });

  it('returns n choices and honours stop strings', async () => {
    const res = await client.chat.completions.create({
      model: 'llama',
      messages: [{ role: 'user', content: 'many' }],
      max_tokens: 30,
      n: 3,
    });
    expect(res.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    const base = res.choices[0]!.message.content!;
    const word = base.split(' ')[2]!;
    const stopped = await client.chat.completions.create({
      model: 'llama',
      messages: [{ role: 'user', content: 'many' }],
      max_tokens: 30,
      stop: [word],
    });
    expect(stopped.choices[0]!.finish_reason).toBe('stop');
    expect(stopped.choices[0]!.message.content).toBe(base.slice(0, base.indexOf(word)));
  });

  it('completes and streams /v1/completions, and embeds', async () => {
    const c = await client.completions.create({
      model: 'sql-lora',
      prompt: 'SELECT',
      max_tokens: 5,
    });
    expect(c.object).toBe('text_completion');
    expect(c.model).toBe('sql-lora');
    expect(c.choices[0]!.finish_reason).toBe('length');
    expect(c.usage!.completion_tokens).toBe(5);
    const s = await client.completions.create({
      model: 'llama',
      prompt: 'SELECT',
      max_tokens: 5,
      stream: true,
    });
    let text = '';
    for await (const chunk of s) text += chunk.choices[0]?.text ?? '';
    expect(text.length).toBeGreaterThan(0);
    const e = await client.embeddings.create({ model: 'llama', input: ['a', 'b'] });
    expect(e.data).toHaveLength(2);
    expect(e.data[0]!.embedding).toHaveLength(4096);
    const norm = Math.hypot(...e.data[0]!.embedding);
    expect(norm).toBeCloseTo(1, 4);
  });

  it('rejects what vLLM rejects, with vLLM error bodies the SDK types', async () => {
    const long = 'word '.repeat(5000);
    const tooLong = client.chat.completions.create({
      model: 'llama',
      messages: [{ role: 'user', content: long }],
      max_tokens: 10,
    });
    await expect(tooLong).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(tooLong).rejects.toThrow(/maximum context length is 4096 tokens/);
    const missing = client.chat.completions.create({
      model: 'nope',
      messages: [{ role: 'user', content: 'x' }],
    });
    await expect(missing).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(missing).rejects.toThrow(/The model `nope` does not exist/);
    const logprobs = client.chat.completions.create({
      model: 'llama',
      messages: [{ role: 'user', content: 'x' }],
      logprobs: true,
    });
    await expect(logprobs).rejects.toThrow(/logprobs are not supported/);
    const opts = client.chat.completions.create({
      model: 'llama',
      messages: [{ role: 'user', content: 'x' }],
      stream_options: { include_usage: true },
    });
    await expect(opts).rejects.toThrow(/Stream options can only be defined when `stream=True`/);
    const bad = client.chat.completions.create({ model: 'llama', messages: [] });
    await expect(bad).rejects.toThrow(/body\.messages/);
  });

  it("writes SSE frames exactly in vLLM's chunk layout", async () => {
    const res = await fetch(`${engine.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'llama',
        messages: [{ role: 'user', content: 'raw' }],
        max_tokens: 3,
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const frames = (await res.text()).split('\n\n').filter((f) => f.length > 0);
    expect(frames.every((f) => f.startsWith('data: '))).toBe(true);
    expect(frames.at(-1)).toBe('data: [DONE]');
    const chunks = frames
      .slice(0, -1)
      .map((f) => JSON.parse(f.slice(6)) as Record<string, unknown>);
    expect(chunks).toHaveLength(5); // role, 2 tokens, last token with finish_reason, usage
    for (const c of chunks)
      expect(Object.keys(c).slice(0, 5)).toEqual(['id', 'object', 'created', 'model', 'choices']);
    expect(chunks[0]!.choices).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
    ]);
    expect(chunks[1]!.choices).toEqual([
      {
        index: 0,
        delta: { content: expect.any(String) as unknown },
        logprobs: null,
        finish_reason: null,
      },
    ]);
    expect(chunks[3]!.choices).toEqual([
      {
        index: 0,
        delta: { content: expect.any(String) as unknown },
        logprobs: null,
        finish_reason: 'length',
        stop_reason: null,
      },
    ]);
    expect(chunks[4]).toMatchObject({ choices: [], usage: { completion_tokens: 3 } });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  it('answers /health, /ping, /version', async () => {
    expect((await fetch(`${engine.url}/health`)).status).toBe(200);
    expect((await fetch(`${engine.url}/ping`)).status).toBe(200);
    expect(await (await fetch(`${engine.url}/version`)).json()).toEqual({ version: '0.11.0' });
    const nf = await fetch(`${engine.url}/nope`);
    expect(nf.status).toBe(404);
    expect(await nf.json()).toEqual({ detail: 'Not Found' });
  });
});
