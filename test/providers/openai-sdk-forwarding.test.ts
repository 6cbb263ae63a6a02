// The official `openai` SDK as the judge: it talks to a tiny server that forwards through each
// adapter (to provider-sim), and must accept every response and stream.
import {
  createInMemorySharedLimits,
  createProviderClient,
  type ProviderClient,
} from '@bascule/providers';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForwardingServer, type ForwardingServer } from './support/forwarding-server.js';
import { startTarget, TARGET_TYPES, type Target } from './support/targets.js';

const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

describe.each(TARGET_TYPES)('openai SDK through the %s adapter', (type) => {
  let t: Target;
  let client: ProviderClient;
  let server: ForwardingServer;
  let sdk: OpenAI;

  beforeAll(async () => {
    t = await startTarget(type);
    client = createProviderClient({
      limits: createInMemorySharedLimits(),
      retry: { maxRetries: 0 },
    });
    server = await startForwardingServer({ client, provider: t.provider(), model: t.model });
    sdk = new OpenAI({ baseURL: server.url, apiKey: 'gateway-key', maxRetries: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await client?.close();
    await t?.close();
  });

  it('completes text', async () => {
    const r = await sdk.chat.completions.create({
      model: 'route',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello!' },
      ],
    });
    expect(r.object).toBe('chat.completion');
    expect(r.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(r.choices[0]?.finish_reason).toBe('stop');
    expect(r.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('streams text, with usage when asked', async () => {
    const stream = sdk.chat.completions.stream({
      model: 'route',
      messages: [{ role: 'user', content: 'Tell me something.' }],
      stream_options: { include_usage: true },
    });
    let deltas = '';
    stream.on('content', (d) => (deltas += d));
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe(deltas);
    expect(deltas.length).toBeGreaterThan(0);
    expect(final.choices[0]?.finish_reason).toBe('stop');
    expect(final.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('returns tool calls', async () => {
    const r = await sdk.chat.completions.create({
      model: 'route',
      messages: [{ role: 'user', content: 'Weather in Rome?' }],
      tools,
      tool_choice: 'required',
    });
    const call = r.choices[0]?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') return;
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toBeTypeOf('object');
    expect(r.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('streams tool calls that the SDK assembles', async () => {
    const stream = sdk.chat.completions.stream({
      model: 'route',
      messages: [{ role: 'user', content: 'Weather in Rome? use the tool' }],
      tools,
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') return;
    expect(call.function.name).toBe('get_weather');
    expect(call.id.length).toBeGreaterThan(0);
    expect(JSON.parse(call.function.arguments)).toBeTypeOf('object');
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('surfaces a provider 429 as the SDK RateLimitError', async () => {
    t.sim.setFaults({ rateLimitEvery: 1, retryAfterSeconds: 20 });
    try {
      const err = await sdk.chat.completions
        .create({ model: 'route', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.RateLimitError);
      expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe(
        '20',
      );
    } finally {
      t.sim.setFaults({});
    }
  });

  it('rejects what the provider cannot serve with a 400 before calling it', async () => {
    t.sim.resetStats();
    const err = await sdk.chat.completions
      .create({ model: 'route', messages: [{ role: 'user', content: 'x' }], max_tokens: 300_000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(t.sim.stats().requests).toBe(0);
  });
});
