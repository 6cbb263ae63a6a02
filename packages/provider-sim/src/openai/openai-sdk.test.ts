// The official openai SDK (6.x) is the judge of format fidelity.
import OpenAI, {
  APIError,
  AuthenticationError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  BadRequestError,
} from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startProviderSim, type RunningProviderSim } from '../index.js';

const KEY = 'sk-test-openai';
let sim: RunningProviderSim;
let client: OpenAI;

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1, maximum: 5 },
      },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
  },
};

beforeAll(async () => {
  sim = await startProviderSim({ type: 'openai', apiKey: KEY, seed: 42 });
  client = new OpenAI({ apiKey: KEY, baseURL: `${sim.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.setFaults({});
  sim.resetStats();
});

describe('provider-sim openai: chat completions', () => {
  it('completes with text, usage and a deterministic answer', async () => {
    const params = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'Describe a cluster.' }],
    };
    const a = await client.chat.completions.create(params);
    const b = await client.chat.completions.create(params);
    expect(a.object).toBe('chat.completion');
    expect(a.choices[0]?.message.content).toMatch(/\w+/);
    expect(a.choices[0]?.finish_reason).toBe('stop');
    expect(b.choices[0]?.message.content).toBe(a.choices[0]?.message.content);
    expect(a.usage?.completion_tokens).toBeGreaterThan(0);
    expect(a.usage?.total_tokens).toBe(
      (a.usage?.prompt_tokens ?? 0) + (a.usage?.completion_tokens ?? 0),
    );
    expect(sim.stats()).toMatchObject({ requests: 2, byPath: { '/v1/chat/completions': 2 } });
    expect(sim.stats().outputTokens).toBe(2 * (a.usage?.completion_tokens ?? 0));
  });

  it('honours max_tokens with finish_reason length and n choices', async () => {
    const res = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Long story' }],
      max_tokens: 3,
      n: 2,
    });
    expect(res.choices).toHaveLength(2);
    expect(res.choices.map((c) => c.finish_reason)).toEqual(['length', 'length']);
    expect(res.usage?.completion_tokens).toBe(6);
  });

  it('streams text chunks that the SDK assembles, with include_usage', async () => {
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Describe a cluster.' }],
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    stream.on('content', (delta) => deltas.push(delta));
    const final = await stream.finalChatCompletion();
    expect(deltas.length).toBeGreaterThan(1);
    expect(final.choices[0]?.message.content).toBe(deltas.join(''));
    expect(final.choices[0]?.finish_reason).toBe('stop');
    expect(final.usage?.completion_tokens).toBe(deltas.length);
  });

  it('answers with a tool call whose arguments match the schema, non-streaming and streaming', async () => {
    const params = {
      model: 'gpt-4o',
      messages: [{ role: 'user' as const, content: 'What is the weather? Use the tool.' }],
      tools: [weatherTool],
    };
    const res = await client.chat.completions.create(params);
    const call = res.choices[0]?.message.tool_calls?.[0];
    expect(res.choices[0]?.finish_reason).toBe('tool_calls');
    if (call?.type !== 'function') throw new Error('expected a function tool call');
    expect(call.function.name).toBe('get_weather');
    const args = JSON.parse(call.function.arguments) as {
      city: unknown;
      unit: unknown;
      days: number;
    };
    expect(typeof args.city).toBe('string');
    expect(['celsius', 'fahrenheit']).toContain(args.unit);

    const stream = client.chat.completions.stream({ ...params, stream: true });
    const done: string[] = [];
    stream.on('tool_calls.function.arguments.done', (e) => done.push(e.arguments));
    const final = await stream.finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls?.[0];
    if (streamed?.type !== 'function') throw new Error('expected a function tool call');
    expect(streamed.function.arguments).toBe(call.function.arguments);
    expect(done).toEqual([call.function.arguments]);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('forces a tool with tool_choice and answers in text after the tool result', async () => {
    const forced = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hello' }],
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const call = forced.choices[0]?.message.tool_calls?.[0];
    expect(call?.id).toMatch(/^call_/);
    const after = await client.chat.completions.create({
      model: 'gpt-4o',
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Use the tool' },
        {
          role: 'assistant',
          content: null,
          tool_calls: forced.choices[0]?.message.tool_calls ?? [],
        },
        { role: 'tool', tool_call_id: call?.id ?? '', content: '{"temp": 21}' },
      ],
    });
    expect(after.choices[0]?.message.tool_calls).toBeUndefined();
    expect(after.choices[0]?.message.content).toMatch(/\w/);
  });
});

describe('provider-sim openai: agent loop', () => {
  it('runs the SDK tool runner to completion: tool call, tool result, final text', async () => {
    const seen: unknown[] = [];
    const runner = client.chat.completions.runTools({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Use the tool to get the weather in Paris' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather for a city',
            parameters: weatherTool.function.parameters,
            parse: (args: string) => JSON.parse(args) as unknown,
            function: (args: unknown) => {
              seen.push(args);
              return { temperature: 21 };
            },
          },
        },
      ],
    });
    const content = await runner.finalContent();
    expect(seen).toHaveLength(1);
    expect(typeof (seen[0] as { city: unknown }).city).toBe('string');
    expect(content).toMatch(/\w/);
    expect(sim.stats().byPath['/v1/chat/completions']).toBe(2);
  });
});

describe('provider-sim openai: other endpoints', () => {
  it('completions, embeddings (base64 default and float) and models', async () => {
    const c = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Once upon a time',
      max_tokens: 5,
    });
    expect(c.object).toBe('text_completion');
    expect(c.usage?.completion_tokens).toBe(5);
    const streamed: string[] = [];
    for await (const chunk of await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Once upon a time',
      max_tokens: 5,
      stream: true,
    })) {
      streamed.push(chunk.choices[0]?.text ?? '');
    }
    expect(streamed.join('')).toBe(c.choices[0]?.text);

    const e = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['a', 'b'],
    });
    expect(e.data).toHaveLength(2);
    expect(e.data[0]?.embedding).toHaveLength(1536);
    const f = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'a',
      encoding_format: 'float',
      dimensions: 8,
    });
    expect(f.data[0]?.embedding).toHaveLength(8);
    const norm = Math.hypot(...(f.data[0]?.embedding ?? []));
    expect(norm).toBeCloseTo(1, 5);

    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toContain('gpt-4o-mini');
    expect((await client.models.retrieve('gpt-4o')).id).toBe('gpt-4o');
  });
});

describe('provider-sim openai: errors', () => {
  it('401 on a wrong key, surfaced as AuthenticationError with OpenAI body', async () => {
    const bad = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${sim.url}/v1`, maxRetries: 0 });
    const err = await bad.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).code).toBe('invalid_api_key');
    expect((err as AuthenticationError).requestID).toMatch(/^req_/);
    expect((err as AuthenticationError).message).not.toContain('sk-wrong');
  });

  it('429 with retry-after every Nth request, as RateLimitError', async () => {
    sim.setFaults({ rateLimitEvery: 2, retryAfterSeconds: 7 });
    const params = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'x' }] };
    await client.chat.completions.create(params);
    const err = await client.chat.completions.create(params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).headers?.get('retry-after')).toBe('7');
    expect((err as RateLimitError).type).toBe('requests');
    await client.chat.completions.create(params);
  });

  it('injected 5xx, 404 for an unknown model, 400 naming the bad field', async () => {
    sim.setFaults({ errorRate: 1, status: 503 });
    const params = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'x' }] };
    const e5 = await client.chat.completions.create(params).catch((e: unknown) => e);
    expect(e5).toBeInstanceOf(InternalServerError);
    expect((e5 as InternalServerError).status).toBe(503);
    sim.setFaults({});
    const e404 = await client.chat.completions
      .create({ ...params, model: 'nope' })
      .catch((e: unknown) => e);
    expect(e404).toBeInstanceOf(NotFoundError);
    expect((e404 as NotFoundError).code).toBe('model_not_found');
    const e400 = await client.chat.completions
      .create({ ...params, messages: [{ role: 'wizard' as 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(e400).toBeInstanceOf(BadRequestError);
    expect((e400 as BadRequestError).param).toBe('messages[0].role');
  });

  it('fails a stream after its first chunk with an in-stream error', async () => {
    sim.setFaults({ failAfterFirstChunk: true });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const got: string[] = [];
    const err = await (async () => {
      for await (const chunk of stream) got.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).type).toBe('server_error');
    expect(got.join('').length).toBeGreaterThan(0);
  });

  it('a rate-limited or unauthorised stream fails with the typed error before any chunk', async () => {
    sim.setFaults({ rateLimitEvery: 1 });
    const params = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'x' }],
      stream: true as const,
    };
    await expect(client.chat.completions.create(params)).rejects.toBeInstanceOf(RateLimitError);
    sim.setFaults({});
    const bad = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${sim.url}/v1`, maxRetries: 0 });
    await expect(bad.chat.completions.create(params)).rejects.toBeInstanceOf(AuthenticationError);
  });
});
