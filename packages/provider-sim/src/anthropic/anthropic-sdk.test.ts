// The official @anthropic-ai/sdk is the judge of format fidelity.
import Anthropic, {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startProviderSim, type RunningProviderSim } from '../index.js';

const KEY = 'sk-ant-test';
const MODEL = 'claude-sonnet-4-6';
let sim: RunningProviderSim;
let client: Anthropic;

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: {
    type: 'object' as const,
    properties: {
      city: { type: 'string' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    },
    required: ['city', 'unit'],
  },
};

beforeAll(async () => {
  sim = await startProviderSim({ type: 'anthropic', apiKey: KEY, seed: 7 });
  client = new Anthropic({ apiKey: KEY, baseURL: sim.url, maxRetries: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.setFaults({});
  sim.resetStats();
});

describe('provider-sim anthropic: messages', () => {
  it('creates a message with text, stop_reason and usage', async () => {
    const params = {
      model: MODEL,
      max_tokens: 200,
      system: 'Be brief.',
      messages: [{ role: 'user' as const, content: 'Hi there' }],
    };
    const msg = await client.messages.create(params);
    expect(msg.type).toBe('message');
    expect(msg.id).toMatch(/^msg_/);
    expect(msg.content[0]?.type).toBe('text');
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
    expect((await client.messages.create(params)).content).toEqual(msg.content);
    expect(sim.stats()).toMatchObject({ requests: 2, byPath: { '/v1/messages': 2 } });
  });

  it('stops at max_tokens and at stop sequences', async () => {
    const cut = await client.messages.create({
      model: MODEL,
      max_tokens: 2,
      messages: [{ role: 'user', content: 'Tell a story' }],
    });
    expect(cut.stop_reason).toBe('max_tokens');
    expect(cut.usage.output_tokens).toBe(2);
    const stopped = await client.messages.create({
      model: MODEL,
      max_tokens: 200,
      stop_sequences: ['.'],
      messages: [{ role: 'user', content: 'Tell a story' }],
    });
    expect(stopped.stop_reason).toBe('stop_sequence');
    expect(stopped.stop_sequence).toBe('.');
  });

  it('streams the full event sequence and the SDK assembles the message', async () => {
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Hi there' }],
    });
    const events: string[] = [];
    let text = '';
    stream.on('streamEvent', (e) => events.push(e.type));
    stream.on('text', (delta) => (text += delta));
    const final = await stream.finalMessage();
    expect(events[0]).toBe('message_start');
    expect(events[1]).toBe('content_block_start');
    expect(events.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(final.content[0]?.type === 'text' ? final.content[0].text : '').toBe(text);
    expect(final.usage.output_tokens).toBe(
      events.filter((e) => e === 'content_block_delta').length,
    );
    expect(final.stop_reason).toBe('end_turn');
  });

  it('raw stream includes ping and input_json_delta for tool use', async () => {
    const raw = await client.messages.create({
      model: MODEL,
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Please use the tool' }],
      tools: [weatherTool],
      stream: true,
    });
    const deltas: string[] = [];
    for await (const event of raw) {
      if (event.type === 'content_block_delta') deltas.push(event.delta.type);
    }
    expect(deltas).toContain('text_delta');
    expect(deltas).toContain('input_json_delta');
    const res = await fetch(`${sim.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': KEY,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        model: MODEL,
        max_tokens: 10,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(await res.text()).toContain('event: ping');
  });

  it('answers with tool_use (streamed and not) whose input matches the schema', async () => {
    const params = {
      model: MODEL,
      max_tokens: 200,
      messages: [{ role: 'user' as const, content: 'Use the tool please' }],
      tools: [weatherTool],
    };
    const msg = await client.messages.create(params);
    expect(msg.stop_reason).toBe('tool_use');
    const use = msg.content.find((b) => b.type === 'tool_use');
    if (use?.type !== 'tool_use') throw new Error('expected tool_use');
    expect(use.id).toMatch(/^toolu_/);
    const input = use.input as { city: unknown; unit: unknown };
    expect(typeof input.city).toBe('string');
    expect(['celsius', 'fahrenheit']).toContain(input.unit);

    const stream = client.messages.stream(params);
    const jsons: string[] = [];
    stream.on('inputJson', (partial) => jsons.push(partial));
    const final = await stream.finalMessage();
    const streamed = final.content.find((b) => b.type === 'tool_use');
    expect(streamed?.type === 'tool_use' ? streamed.input : undefined).toEqual(use.input);
    expect(jsons.length).toBeGreaterThan(0);

    const forced = await client.messages.create({
      ...params,
      messages: [{ role: 'user', content: 'hello' }],
      tool_choice: { type: 'tool', name: 'get_weather' },
    });
    expect(forced.content.map((b) => b.type)).toEqual(['tool_use']);

    const after = await client.messages.create({
      ...params,
      messages: [
        { role: 'user', content: 'Use the tool please' },
        { role: 'assistant', content: msg.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: use.id, content: '21 degrees' }],
        },
      ],
    });
    expect(after.stop_reason).toBe('end_turn');
  });

  it('counts tokens and lists models', async () => {
    const count = await client.messages.countTokens({
      model: MODEL,
      messages: [{ role: 'user', content: 'Hello world' }],
    });
    expect(count.input_tokens).toBeGreaterThan(0);
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toContain(MODEL);
  });
});

describe('provider-sim anthropic: errors', () => {
  it('401 on a wrong key as AuthenticationError with request-id', async () => {
    const bad = new Anthropic({ apiKey: 'wrong', baseURL: sim.url, maxRetries: 0 });
    const err = await bad.messages
      .create({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).type).toBe('authentication_error');
    expect((err as AuthenticationError).requestID).toMatch(/^req_/);
  });

  it('429 with retry-after as RateLimitError, and injected 529 overloaded', async () => {
    sim.setFaults({ rateLimitEvery: 1, retryAfterSeconds: 3 });
    const params = {
      model: MODEL,
      max_tokens: 5,
      messages: [{ role: 'user' as const, content: 'x' }],
    };
    const err = await client.messages.create(params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).headers?.get('retry-after')).toBe('3');
    expect((err as RateLimitError).type).toBe('rate_limit_error');
    sim.setFaults({ errorRate: 1, status: 529 });
    const over = await client.messages.create(params).catch((e: unknown) => e);
    expect(over).toBeInstanceOf(InternalServerError);
    expect((over as InternalServerError).status).toBe(529);
    expect((over as InternalServerError).type).toBe('overloaded_error');
  });

  it('400 for a missing field or anthropic-version, 404 for an unknown model', async () => {
    const missing = await client.messages
      .create({
        model: MODEL,
        messages: [{ role: 'user', content: 'x' }],
      } as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(BadRequestError);
    expect((missing as BadRequestError).apiMessage).toBe('max_tokens: Field required');
    const res = await fetch(`${sim.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': KEY },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
      request_id: res.headers.get('request-id'),
    });
    const unknown = await client.messages
      .create({ model: 'claude-nope', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(NotFoundError);
  });

  it('fails a stream after the first delta with an in-stream overloaded error', async () => {
    sim.setFaults({ failAfterFirstChunk: true });
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: 'user', content: 'x' }],
    });
    const err = await stream.finalMessage().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).type).toBe('overloaded_error');
  });

  it('a rate-limited or unauthorised stream fails with the typed error', async () => {
    sim.setFaults({ rateLimitEvery: 1 });
    const params = {
      model: MODEL,
      max_tokens: 5,
      messages: [{ role: 'user' as const, content: 'x' }],
    };
    await expect(client.messages.stream(params).finalMessage()).rejects.toBeInstanceOf(
      RateLimitError,
    );
    sim.setFaults({});
    const bad = new Anthropic({ apiKey: 'wrong', baseURL: sim.url, maxRetries: 0 });
    await expect(bad.messages.stream(params).finalMessage()).rejects.toBeInstanceOf(
      AuthenticationError,
    );
  });
});
