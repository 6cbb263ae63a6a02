// Our Anthropic request bodies must be what the official SDK's request type accepts, and our
// response mapping must take what the SDK's Message type describes (checked by tsc -p test).
import type Anthropic from '@anthropic-ai/sdk';
import {
  buildAnthropicRequest,
  mapAnthropicResponse,
  type ChatCompletionRequest,
} from '@bascule/providers';
import { describe, expect, it } from 'vitest';

const cases: ChatCompletionRequest[] = [
  {
    model: 'r',
    messages: [
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
      },
      { role: 'tool', tool_call_id: 't1', content: 'done' },
    ],
    tools: [
      {
        type: 'function',
        function: {
          name: 'f',
          parameters: { type: 'object', properties: { a: { type: 'number' } } },
        },
      },
    ],
    tool_choice: 'required',
    parallel_tool_calls: false,
    stop: ['END'],
    temperature: 0.2,
    user: 'u1',
  },
  { model: 'r', messages: [{ role: 'user', content: 'hi' }], stream: true, max_tokens: 10 },
];

describe('Anthropic request bodies satisfy the official SDK types', () => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i', (_i, req) => {
    const { stream, ...rest } = buildAnthropicRequest(req, 'claude-haiku-4-5', undefined);
    const body: Anthropic.MessageCreateParamsNonStreaming = rest;
    expect(stream).toBe(req.stream ? true : undefined);
    expect(body.max_tokens).toBeGreaterThan(0);
    expect(body.messages[0]?.role).toBe('user');
  });

  it('maps an SDK-typed Message', () => {
    const message: Anthropic.Message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5',
      content: [{ type: 'text', text: 'hello', citations: null }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 3,
        output_tokens: 1,
        cache_creation_input_tokens: null,
        cache_read_input_tokens: null,
        cache_creation: null,
        server_tool_use: null,
        service_tier: null,
      },
    } as Anthropic.Message;
    expect(mapAnthropicResponse(message).choices[0]?.message.content).toBe('hello');
  });
});
