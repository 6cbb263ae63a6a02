// One contract for every dialect the gateway speaks: a dialect is added by giving this suite
// its conformance fixture (requests in its shape, readers of its responses).
import type { ChatCompletion, ChatCompletionChunk } from '@bascule/providers';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors/gateway-error.js';
import { toErrorResponse } from '../../errors/to-error-response.js';
import { anthropicMessagesConformance } from '../anthropic-messages/conformance-fixture.js';
import { openAIResponsesConformance } from '../openai-responses/conformance-fixture.js';
import { answerFromChat, ChatChunkReader } from './answer.js';
import type { DialectConformance } from './conformance-fixture.js';

const DIALECTS: DialectConformance[] = [anthropicMessagesConformance, openAIResponsesConformance];

const usage = { prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 };

function completion(
  message: ChatCompletion['choices'][0]['message'],
  finish: string,
): ChatCompletion {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'served-model',
    choices: [{ index: 0, message, finish_reason: finish as 'stop', logprobs: null }],
    usage,
  };
}

function chunk(
  delta: ChatCompletionChunk['choices'][0]['delta'] | undefined,
  finish: string | null = null,
  withUsage = false,
): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'served-model',
    choices: delta ? [{ index: 0, delta, finish_reason: finish as null, logprobs: null }] : [],
    ...(withUsage ? { usage } : {}),
  };
}

const TEXT = {
  whole: completion({ role: 'assistant', content: 'Hello there', refusal: null }, 'stop'),
  chunks: [
    chunk({ role: 'assistant', content: '' }),
    chunk({ content: 'Hel' }),
    chunk({ content: 'lo there' }),
    chunk({}, 'stop'),
    chunk(undefined, null, true),
  ],
};
const TOOL = {
  whole: completion(
    {
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        {
          id: 'call_9',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
      ],
    },
    'tool_calls',
  ),
  chunks: [
    chunk({ role: 'assistant' }),
    chunk({
      tool_calls: [
        {
          index: 0,
          id: 'call_9',
          type: 'function',
          function: { name: 'get_weather', arguments: '' },
        },
      ],
    }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Paris"}' } }] }),
    chunk({}, 'tool_calls'),
    chunk(undefined, null, true),
  ],
};

describe.each(DIALECTS.map((c) => [c.dialect.name, c] as const))('dialect %s', (_name, c) => {
  const accept = async (body: unknown) =>
    c.dialect.accept(body, { headers: c.headers, key: 'key_1' });

  async function streamed(body: unknown, chunks: ChatCompletionChunk[]): Promise<string> {
    const s = (await accept(body)).stream();
    const reader = new ChatChunkReader();
    let sse = '';
    for (const ch of chunks) for (const e of reader.read(ch)) sse += s.push(e);
    return sse + (await s.end());
  }

  it('carries system, prompt and max tokens to the chat request; streams ask for usage', async () => {
    const { chat } = await accept(c.textRequest(false));
    expect(chat.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      expect.objectContaining({ role: 'user' }),
    ]);
    const user = chat.messages[1]!.content;
    expect(typeof user === 'string' ? user : JSON.stringify(user)).toContain('Say hello');
    expect(chat.max_tokens).toBe(16);
    expect(chat.stream ?? false).toBe(false);
    const s = (await accept(c.textRequest(true))).chat;
    expect(s.stream).toBe(true);
    expect(s.stream_options).toEqual({ include_usage: true });
  });

  it('carries a forced function tool', async () => {
    const { chat } = await accept(c.toolRequest(false));
    expect(chat.tools?.map((t) => t.function.name)).toEqual(['get_weather']);
    expect(chat.tools?.[0]?.function.parameters).toMatchObject({ type: 'object' });
    expect(chat.tool_choice).toBe('required');
  });

  it('carries a tool round trip as an assistant call followed by its tool result', async () => {
    const { chat } = await accept(c.toolResultRequest());
    const call = chat.messages.find((m) => m.role === 'assistant');
    expect(call?.role === 'assistant' && call.tool_calls?.[0]).toMatchObject({
      id: 'call_1',
      function: { name: 'get_weather' },
    });
    expect(
      JSON.parse(call?.role === 'assistant' ? call.tool_calls![0]!.function.arguments : ''),
    ).toEqual({ city: 'Paris' });
    const i = chat.messages.indexOf(call!);
    expect(chat.messages[i + 1]).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
    expect(JSON.stringify(chat.messages[i + 1]!.content)).toContain('Sunny');
  });

  it.each(c.unsupported.map((u) => [u.param, u.body] as const))(
    'refuses %s with a 400 naming it',
    async (param, body) => {
      const err = await Promise.resolve()
        .then(() => accept(body))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(GatewayError);
      expect(err).toMatchObject({ status: 400, param });
      expect((err as Error).message).toContain(param);
      const shaped = c.dialect.error(toErrorResponse(err));
      expect(c.readError(shaped.status, shaped.body)).toMatchObject({ status: 400, param });
    },
  );

  it.each([
    ['text', TEXT],
    ['tool call', TOOL],
  ] as const)('renders a %s answer whole and streamed alike', async (_kind, a) => {
    const req = await accept(a === TEXT ? c.textRequest(false) : c.toolRequest(false));
    const whole = c.readResponse(await req.render(answerFromChat(a.whole)));
    const expected = answerFromChat(a.whole);
    expect(whole.text).toBe(expected.text);
    expect(whole.toolCalls).toEqual(
      expected.toolCalls.map((t) => ({
        id: t.id,
        name: t.name,
        input: JSON.parse(t.arguments) as unknown,
      })),
    );
    expect(whole.finish).toBe(expected.finish);
    expect([whole.inputTokens, whole.outputTokens]).toEqual([11, 5]);
    const sse = await streamed(a === TEXT ? c.textRequest(true) : c.toolRequest(true), a.chunks);
    expect(c.readStream(sse)).toEqual(whole);
  });

  it.each([
    [400, 'invalid_value', 'bad max tokens', 'max_tokens'],
    [401, 'invalid_api_key', 'bad key', null],
    [402, 'budget_exceeded', 'budget spent', null],
    [429, 'rate_limited', 'slow down', null],
  ] as const)(
    'renders a %i error in its own shape, message kept',
    (status, code, message, param) => {
      const e = c.dialect.error(
        toErrorResponse(new GatewayError({ status, code, message, param })),
      );
      const read = c.readError(e.status, e.body);
      expect(read.status).toBe(status);
      expect(read.message).toBe(message);
      if (param) expect(read.param).toBe(param);
    },
  );
});
