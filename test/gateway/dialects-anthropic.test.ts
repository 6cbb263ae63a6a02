// The gateway speaks Anthropic Messages (/v1/messages) to the official @anthropic-ai/sdk, against a
// self-hosted Model (engine-sim) and each provider-sim, with the same admission, routing headers
// and metering as chat completions; to an Anthropic Provider the request goes untranslated.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startDialectsStack,
  TARGETS,
  weatherTool,
  type DialectsStack,
} from './support/dialects-stack.js';

const WEB_SEARCH: Anthropic.WebSearchTool20250305 = {
  type: 'web_search_20250305',
  name: 'web_search',
  max_uses: 1,
};
const DOCUMENT_TURN: Anthropic.MessageParam = {
  role: 'user',
  content: [
    { type: 'text', text: 'Summarise the attached note.' },
    { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Meet at noon.' } },
  ],
};

describe('Anthropic Messages through the gateway (@anthropic-ai/sdk)', () => {
  let st: DialectsStack;
  beforeAll(async () => {
    st = await startDialectsStack();
  });
  afterAll(async () => {
    await st?.close();
  });

  it.each(TARGETS)(
    'messages.create through %s (%s), metered and routed as chat',
    async (route, target, kind) => {
      const { data, response } = await st.anthropic.messages
        .create({
          model: route,
          max_tokens: 32,
          system: 'Be brief.',
          messages: [{ role: 'user', content: 'Say hello' }],
        })
        .withResponse();
      expect(response.headers.get('x-bascule-target')).toBe(target);
      expect(response.headers.get('x-bascule-route-reason')).toBe('priority');
      expect(response.headers.get('request-id')).toMatch(/^req_/);
      expect(data.type).toBe('message');
      expect(data.role).toBe('assistant');
      const text = data.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
      expect(text.length).toBeGreaterThan(0);
      expect(['end_turn', 'max_tokens']).toContain(data.stop_reason);
      expect(data.usage.input_tokens).toBeGreaterThan(0);
      const rec = st.usage.at(-1)!;
      expect(rec).toMatchObject({ route, target, targetKind: kind, status: 200 });
      expect(rec.promptTokens).toBe(data.usage.input_tokens);
      expect(rec.completionTokens).toBe(data.usage.output_tokens);
      expect(rec.costUSD).toBeGreaterThan(0);
      expect(rec.key).toBeDefined();
    },
  );

  it.each(TARGETS)(
    'messages.stream with a tool through %s: tool_use with input_json deltas, then the result',
    async (route, target) => {
      const stream = st.anthropic.messages.stream({
        model: route,
        max_tokens: 128,
        tools: [weatherTool],
        tool_choice: { type: 'any' },
        messages: [{ role: 'user', content: 'What is the weather in Paris? Use the tool.' }],
      });
      const types: string[] = [];
      let json = '';
      stream.on('streamEvent', (e) => {
        types.push(e.type);
        if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta')
          json += e.delta.partial_json;
      });
      const msg = await stream.finalMessage();
      const res = (await stream.withResponse()).response;
      expect(res.headers.get('x-bascule-target')).toBe(target);
      expect(types[0]).toBe('message_start');
      expect(types).toContain('content_block_start');
      expect(types).toContain('content_block_stop');
      expect(types.at(-2)).toBe('message_delta');
      expect(types.at(-1)).toBe('message_stop');
      expect(msg.stop_reason).toBe('tool_use');
      const use = msg.content.find((b) => b.type === 'tool_use');
      expect(use?.type === 'tool_use' && use.name).toBe('get_weather');
      expect(use?.type === 'tool_use' && use.input).toHaveProperty('city');
      expect(JSON.parse(json)).toEqual(use?.type === 'tool_use' ? use.input : null);
      expect(msg.usage.output_tokens).toBeGreaterThan(0);
      const rec = st.usage.at(-1)!;
      expect(rec).toMatchObject({ route, target, status: 200 });
      expect(rec.completionTokens).toBe(msg.usage.output_tokens);
      expect(rec.ttftMs).toBeGreaterThan(0);

      // The round trip: the tool's result goes back as a tool_result block.
      const next = await st.anthropic.messages.create({
        model: route,
        max_tokens: 32,
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'What is the weather in Paris? Use the tool.' },
          { role: 'assistant', content: msg.content },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: use?.type === 'tool_use' ? use.id : '',
                content: 'Sunny, 21 C',
              },
            ],
          },
        ],
      });
      expect(next.type).toBe('message');
      expect(next.content.length).toBeGreaterThan(0);
      expect(st.usage.at(-1)).toMatchObject({ route, status: 200 });
    },
  );

  it('passes a request to an Anthropic Provider through untranslated, whole and streamed', async () => {
    const before = st.sims.anthropic.stats().requests;
    const { data, response } = await st.anthropic.messages
      .create({
        model: 'claude',
        max_tokens: 64,
        tools: [weatherTool],
        tool_choice: { type: 'auto' },
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'text',
                text: 'What is the weather in Paris? Use the tool.',
                cache_control: { type: 'ephemeral' },
              },
            ],
          },
        ],
      })
      .withResponse();
    expect(response.headers.get('x-bascule-target')).toBe('anthropic/claude-sonnet-4-6');
    // Anthropic's own answer: the simulator's message id (msg_01...), which a translation
    // through chat replaces with the gateway's own (msg_ and hex).
    expect(data.id).toMatch(/^msg_01/);
    expect(data.content.map((b) => b.type)).toEqual(['text', 'tool_use']);
    expect(st.sims.anthropic.stats().requests).toBe(before + 1);
    expect(st.usage.at(-1)).toMatchObject({
      route: 'claude',
      status: 200,
      promptTokens: data.usage.input_tokens,
      completionTokens: data.usage.output_tokens,
    });

    const stream = st.anthropic.messages.stream({
      model: 'claude',
      max_tokens: 64,
      tools: [weatherTool],
      tool_choice: { type: 'auto' },
      messages: [{ role: 'user', content: 'What is the weather in Paris? Use the tool.' }],
    });
    const msg = await stream.finalMessage();
    expect(msg.id).toMatch(/^msg_01/);
    expect(msg.content.map((b) => b.type)).toEqual(['text', 'tool_use']);
    expect(st.usage.at(-1)).toMatchObject({
      route: 'claude',
      status: 200,
      completionTokens: msg.usage.output_tokens,
    });
    expect(st.usage.at(-1)!.promptTokens).toBeGreaterThan(0);
  });

  it('counts tokens (an estimate that grows with the prompt)', async () => {
    const short = await st.anthropic.messages.countTokens({
      model: 'claude',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const long = await st.anthropic.messages.countTokens({
      model: 'claude',
      system: 'You are a weather assistant.',
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'What is the weather in Paris? '.repeat(20) }],
    });
    expect(short.input_tokens).toBeGreaterThan(0);
    expect(long.input_tokens).toBeGreaterThan(short.input_tokens + 100);
  });

  it('refuses a field not every target can carry with a 400 naming it, in Anthropic error shape', async () => {
    const before = st.sims.anthropic.stats().requests;
    // claude-or-gpt may pick OpenAI (overflow): an Anthropic-only field would be lost there.
    const err = await st.anthropic.messages
      .create({
        model: 'claude-or-gpt',
        max_tokens: 16,
        service_tier: 'auto',
        messages: [{ role: 'user', content: 'hi' }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    const e = err as InstanceType<typeof Anthropic.BadRequestError>;
    expect(e.status).toBe(400);
    expect(e.error).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', param: 'service_tier' },
    });
    expect(e.message).toContain('service_tier');

    const refusals: [string, Partial<Anthropic.MessageCreateParamsNonStreaming>, string][] = [
      ['chat', { thinking: { type: 'enabled', budget_tokens: 1024 } }, 'thinking'],
      ['claude-or-gpt', { tools: [WEB_SEARCH] }, 'tools.0.type'],
      ['chat', { messages: [DOCUMENT_TURN] }, 'messages.0.content.1.type'],
      // privacy.detect reads what translation carries: it could not see inside a document.
      ['claude-inspected', { messages: [DOCUMENT_TURN] }, 'messages.0.content.1.type'],
    ];
    for (const [model, extra, param] of refusals) {
      const refused = await st.anthropic.messages
        .create({
          model,
          max_tokens: 2048,
          messages: [{ role: 'user', content: 'hi' }],
          ...extra,
        })
        .catch((x: unknown) => x as InstanceType<typeof Anthropic.APIError>);
      expect(refused, `${model} ${param}`).toMatchObject({ status: 400 });
      expect((refused as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
        error: { param },
      });
    }
    const beta = await st.anthropic.messages
      .create(
        { model: 'chat', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'anthropic-beta': 'context-1m-2025-08-07' } },
      )
      .catch((x: unknown) => x as InstanceType<typeof Anthropic.APIError>);
    expect((beta as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { param: 'anthropic-beta' },
    });
    expect(st.sims.anthropic.stats().requests).toBe(before);
  });

  it('carries Anthropic-only fields untranslated on a Route whose every target is an Anthropic Provider', async () => {
    const { data, response } = await st.anthropic.messages
      .create(
        {
          model: 'claude',
          max_tokens: 2048,
          thinking: { type: 'enabled', budget_tokens: 1024 },
          service_tier: 'auto',
          tools: [WEB_SEARCH, weatherTool],
          messages: [DOCUMENT_TURN],
        },
        { headers: { 'anthropic-beta': 'context-1m-2025-08-07' } },
      )
      .withResponse();
    expect(response.headers.get('x-bascule-target')).toBe('anthropic/claude-sonnet-4-6');
    // Anthropic's own answer, thinking block (and its signature) first, as it came.
    const thought = data.content[0];
    expect(thought?.type).toBe('thinking');
    expect(thought?.type === 'thinking' && thought.signature).toMatch(/^sig_/);
    const sent = st.sims.anthropic.received().at(-1)!;
    expect(sent.anthropicBeta).toBe('context-1m-2025-08-07');
    expect(sent.body).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 1024 },
      service_tier: 'auto',
      tools: [WEB_SEARCH, weatherTool],
      messages: [DOCUMENT_TURN],
    });
    expect(st.usage.at(-1)).toMatchObject({
      route: 'claude',
      status: 200,
      promptTokens: data.usage.input_tokens,
      completionTokens: data.usage.output_tokens,
    });

    const stream = st.anthropic.messages.stream({
      model: 'claude',
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    let thinking = '';
    stream.on('thinking', (delta) => (thinking += delta));
    const msg = await stream.finalMessage();
    expect(msg.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(msg.content[0]?.type === 'thinking' && msg.content[0].thinking).toBe(thinking);
    expect(thinking.length).toBeGreaterThan(0);
    expect(st.usage.at(-1)).toMatchObject({
      route: 'claude',
      completionTokens: msg.usage.output_tokens,
    });
    const counted = await st.anthropic.messages.countTokens({
      model: 'claude',
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [DOCUMENT_TURN],
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
  });

  it('answers a request the target cannot serve with a 400 in Anthropic shape', async () => {
    const err = await st.anthropic.messages
      .create({ model: 'chat', max_tokens: 9000, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });
    expect(st.usage.at(-1)).toMatchObject({ route: 'chat', status: 400, costUSD: 0 });
  });

  it('authenticates with x-api-key and refuses a bad key with a 401 authentication_error', async () => {
    const bad = new Anthropic({ baseURL: st.gw.url, apiKey: 'bsc-not-a-key', maxRetries: 0 });
    const err = await bad.messages
      .create({ model: 'chat', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'authentication_error' },
    });
  });
});
