import type { RunningEngine } from '@bascule/engine-sim';
import type { RunningProviderSim } from '@bascule/provider-sim';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  modelResource,
  providerResource,
  routeResource,
  type SimType,
} from './support/fixtures.js';
import {
  startEngine,
  startProviders,
  startTestGateway,
  type TestGateway,
} from './support/harness.js';

// The official openai SDK, pointed at the gateway, against a self-hosted Model (engine-sim)
// and OpenAI, Anthropic and Gemini (provider-sims, translated by packages/providers).
describe('gateway with the openai SDK', () => {
  let engine: RunningEngine;
  let sims: Record<SimType, RunningProviderSim>;
  let gw: TestGateway;
  const weather: OpenAI.Chat.Completions.ChatCompletionTool = {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  };

  beforeAll(async () => {
    engine = await startEngine({ served: 'llama-8b' });
    sims = await startProviders(['openai', 'anthropic', 'gemini']);
    gw = await startTestGateway({
      models: [modelResource('llama', { servedNames: ['llama-8b'], aliases: ['llama-3.1-8b'] })],
      providers: [
        providerResource('openai', 'openai', sims.openai.url, [
          'gpt-5-mini',
          'text-embedding-3-small',
        ]),
        providerResource('anthropic', 'anthropic', sims.anthropic.url, ['claude-sonnet-4-6']),
        providerResource('gemini', 'gemini', sims.gemini.url, ['gemini-2.5-flash']),
      ],
      routes: [
        routeResource('chat', {
          targets: [{ model: 'llama' }, { provider: 'openai', model: 'gpt-5-mini' }],
        }),
        routeResource('gpt', { targets: [{ provider: 'openai', model: 'gpt-5-mini' }] }),
        routeResource('claude', {
          targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-6' }],
        }),
        routeResource('gemini', { targets: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] }),
        routeResource('embed', {
          targets: [{ model: 'llama' }, { provider: 'openai', model: 'text-embedding-3-small' }],
        }),
      ],
      endpoints: { llama: [engine] },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await engine?.close();
    for (const s of Object.values(sims ?? {})) await s.close();
  });

  it('completes through a Route to the self-hosted Model, with route headers and usage', async () => {
    const { data, response } = await gw.client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 8 })
      .withResponse();
    expect(response.headers.get('x-bascule-target')).toBe('llama');
    expect(response.headers.get('x-bascule-route-reason')).toBe('priority');
    expect(Number(response.headers.get('x-bascule-overhead-ms'))).toBeGreaterThanOrEqual(0);
    expect(data.model).toBe('llama-8b');
    expect(data.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
    const rec = gw.usage.at(-1)!;
    expect(rec).toMatchObject({ route: 'chat', target: 'llama', targetKind: 'model', status: 200 });
    expect(rec.promptTokens).toBe(data.usage!.prompt_tokens);
    expect(rec.completionTokens).toBe(data.usage!.completion_tokens);
    expect(rec.costUSD).toBeGreaterThan(0);
  });

  it('streams chunk by chunk from the Model, with include_usage', async () => {
    const stream = await gw.client.chat.completions.create({
      model: 'llama-3.1-8b',
      messages: [{ role: 'user', content: 'Count to five' }],
      max_tokens: 10,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    let chunks = 0;
    for await (const c of stream) {
      chunks++;
      text += c.choices[0]?.delta.content ?? '';
      if (c.usage) usage = c.usage;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(text.length).toBeGreaterThan(0);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(gw.usage.at(-1)!.completionTokens).toBe(usage!.completion_tokens);
    expect(gw.usage.at(-1)!.ttftMs).toBeGreaterThan(0);
  });

  it('meters a stream without include_usage but never shows the client a usage chunk', async () => {
    const stream = await gw.client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'Stream please' }],
      max_tokens: 6,
      stream: true,
    });
    for await (const c of stream) {
      expect(c.choices.length).toBeGreaterThan(0);
      expect(c.usage ?? null).toBeNull();
    }
    expect(gw.usage.at(-1)!.completionTokens).toBeGreaterThan(0);
  });

  it.each([
    ['chat', 'llama', 'model'],
    ['gpt', 'openai/gpt-5-mini', 'provider'],
    ['claude', 'anthropic/claude-sonnet-4-6', 'provider'],
    ['gemini', 'gemini/gemini-2.5-flash', 'provider'],
  ])('calls tools through %s (%s), non-streaming and streaming', async (route, target, kind) => {
    const req = {
      model: route,
      messages: [{ role: 'user' as const, content: 'What is the weather in Paris? use the tool' }],
      tools: [weather],
      tool_choice: 'required' as const,
      max_tokens: 64,
    };
    const { data, response } = await gw.client.chat.completions.create(req).withResponse();
    expect(response.headers.get('x-bascule-target')).toBe(target);
    const call = data.choices[0]!.message.tool_calls![0]!;
    expect(data.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
    expect(JSON.parse(call.type === 'function' ? call.function.arguments : '{}')).toHaveProperty(
      'city',
    );

    const stream = await gw.client.chat.completions.create({
      ...req,
      stream: true,
      stream_options: { include_usage: true },
    });
    let args = '';
    let name = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const c of stream) {
      const tc = c.choices[0]?.delta.tool_calls?.[0];
      if (tc?.function?.name) name = tc.function.name;
      args += tc?.function?.arguments ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
      if (c.usage) usage = c.usage;
    }
    expect(name).toBe('get_weather');
    expect(JSON.parse(args)).toHaveProperty('city');
    expect(finish).toBe('tool_calls');
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
    const rec = gw.usage.at(-1)!;
    expect(rec.targetKind).toBe(kind);
    expect(rec.costUSD).toBeGreaterThan(0);
  });

  it.each(['gpt', 'claude', 'gemini'])('streams text from %s', async (route) => {
    const stream = await gw.client.chat.completions.create({
      model: route,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Tell me a fact' },
      ],
      stream: true,
    });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text.length).toBeGreaterThan(0);
  });

  it('serves completions and embeddings from the Model, and provider/model directly', async () => {
    const c = await gw.client.completions.create({
      model: 'llama',
      prompt: 'Once upon a time',
      max_tokens: 5,
    });
    expect(c.choices[0]!.text.length).toBeGreaterThan(0);
    const e = await gw.client.embeddings.create({ model: 'embed', input: ['a', 'b'] });
    expect(e.data).toHaveLength(2);
    const direct = await gw.client.embeddings
      .create({ model: 'openai/text-embedding-3-small', input: 'x' })
      .withResponse();
    expect(direct.response.headers.get('x-bascule-route-reason')).toBe('direct');
    expect(direct.data.data[0]!.embedding.length).toBeGreaterThan(0);
  });

  it('lists Routes, Models and provider models', async () => {
    const ids = (await gw.client.models.list()).data.map((m) => m.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'chat',
        'gpt',
        'llama',
        'llama-3.1-8b',
        'openai/gpt-5-mini',
        'anthropic/claude-sonnet-4-6',
      ]),
    );
    const strict = await fetch(`${gw.url}/v1/models`, {
      headers: { 'x-bascule-privacy': 'strict' },
    });
    const body = (await strict.json()) as { data: { id: string }[] };
    expect(body.data.some((m) => m.id.startsWith('openai/'))).toBe(false);
  });

  it('answers bad input with OpenAI errors naming the field', async () => {
    const cases: [unknown, number, string | null][] = [
      [{ model: 'chat' }, 400, 'messages'],
      [
        { model: 'chat', messages: [{ role: 'user', content: 'x' }], temperature: 9 },
        400,
        'temperature',
      ],
      [{ model: 'nope', messages: [{ role: 'user', content: 'x' }] }, 404, 'model'],
      [{ model: 'chat', messages: [{ role: 'wizard', content: 'x' }] }, 400, 'messages.0.role'],
    ];
    for (const [body, status, param] of cases) {
      const r = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const j = (await r.json()) as {
        error: { param: string | null; message: string; type: string };
      };
      expect([r.status, j.error.param]).toEqual([status, param]);
      expect(j.error.message.length).toBeGreaterThan(5);
      expect(r.headers.get('x-bascule-route-reason')).not.toBeNull();
    }
    const bad = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    const big = await fetch(`${gw.url}/v1/embeddings`, {
      method: 'POST',
      body: 'x'.repeat(17 * 1024 * 1024),
    });
    expect(big.status).toBe(413);
    const hdr = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'x-bascule-privacy': 'maybe' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(((await hdr.json()) as { error: { param: string } }).error.param).toBe(
      'x-bascule-privacy',
    );
    await expect(
      gw.client.chat.completions.create({ model: 'chat', messages: [] }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('exposes Prometheus metrics', async () => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toMatch(
      /bascule_gateway_requests_total\{route="chat",target="llama",reason="priority",code="200"\} \d+/,
    );
    expect(text).toMatch(
      /bascule_gateway_tokens_total\{route="claude",target="anthropic\/claude-sonnet-4-6",direction="output"\} \d+/,
    );
    expect(text).toContain('bascule_gateway_overhead_seconds_bucket');
  });
});
