import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineSim, type RunningEngine } from './start-engine-sim.js';

const tools: OpenAI.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: {
        type: 'object',
        properties: {
          city: { type: 'string' },
          unit: { type: 'string', enum: ['c', 'f'] },
          days: { type: 'integer', minimum: 1, maximum: 7 },
        },
        required: ['city', 'unit'],
      },
    },
  },
];

describe('engine-sim (vLLM) tool calls with the openai SDK', () => {
  let auto: RunningEngine;
  let plain: RunningEngine;
  const clientOf = (e: RunningEngine) =>
    new OpenAI({ baseURL: `${e.url}/v1`, apiKey: 'x', maxRetries: 0 });

  beforeAll(async () => {
    const base = ['meta-llama/Llama-3.1-8B-Instruct', '--served-model-name', 'llama'];
    const opts = { port: 0, loadSeconds: 0, timeScale: 100, tokenizer: 'approx' as const };
    auto = await startEngineSim({
      argv: [...base, '--enable-auto-tool-choice', '--tool-call-parser', 'llama3_json'],
      ...opts,
    });
    plain = await startEngineSim({ argv: base, ...opts });
  });
  afterAll(async () => {
    await Promise.all([auto.close(), plain.close()]);
  });

  it('calls a tool with schema-valid arguments, then answers the tool result in text', async () => {
    const client = clientOf(auto);
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather in Paris?' },
    ];
    const first = await client.chat.completions.create({ model: 'llama', messages, tools });
    const choice = first.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    const call = choice.message.tool_calls![0]!;
    expect(call.type).toBe('function');
    if (call.type !== 'function') return;
    expect(call.function.name).toBe('get_weather');
    const args = JSON.parse(call.function.arguments) as { city: unknown; unit: unknown };
    expect(typeof args.city).toBe('string');
    expect(['c', 'f']).toContain(args.unit);
    const second = await client.chat.completions.create({
      model: 'llama',
      tools,
      messages: [
        ...messages,
        choice.message,
        { role: 'tool', tool_call_id: call.id, content: '21 C' },
      ],
    });
    expect(second.choices[0]!.finish_reason).not.toBe('tool_calls');
    expect(second.choices[0]!.message.content!.length).toBeGreaterThan(0);
  });

  it('streams the same tool call as deltas the SDK reassembles', async () => {
    const client = clientOf(auto);
    const req = {
      model: 'llama',
      messages: [{ role: 'user' as const, content: 'Weather?' }],
      tools,
      seed: 5,
    };
    const whole = await client.chat.completions.create(req);
    const stream = client.chat.completions.stream({ ...req, stream: true });
    const final = await stream.finalChatCompletion();
    const a = whole.choices[0]!.message.tool_calls![0]!;
    const b = final.choices[0]!.message.tool_calls![0]!;
    expect(b.type === 'function' && b.function.arguments).toBe(
      a.type === 'function' && a.function.arguments,
    );
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('rejects "auto" without --enable-auto-tool-choice, as vLLM does, but honours a named tool', async () => {
    const client = clientOf(plain);
    await expect(
      client.chat.completions.create({
        model: 'llama',
        messages: [{ role: 'user', content: 'x' }],
        tools,
      }),
    ).rejects.toThrow(
      /"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set/,
    );
    const named = await client.chat.completions.create({
      model: 'llama',
      messages: [{ role: 'user', content: 'x' }],
      tools,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    expect(named.choices[0]!.message.tool_calls).toHaveLength(1);
  });
});
