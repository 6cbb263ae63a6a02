import { describe, expect, it } from 'vitest';
import { mapAnthropicResponse } from './map-anthropic-response.js';

// Response bodies from https://docs.anthropic.com/en/api/messages (example response) and
// https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use (tool_use).
describe('mapAnthropicResponse', () => {
  it('maps a text answer with cache usage', () => {
    const out = mapAnthropicResponse(
      {
        id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-20250514',
        content: [{ type: 'text', text: 'Hi! My name is Claude.' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: 2095,
          output_tokens: 503,
          cache_read_input_tokens: 100,
          cache_creation_input_tokens: 5,
        },
      },
      1700000000,
    );
    expect(out).toEqual({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      object: 'chat.completion',
      created: 1700000000,
      model: 'claude-sonnet-4-20250514',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi! My name is Claude.', refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 2200,
        completion_tokens: 503,
        total_tokens: 2703,
        prompt_tokens_details: { cached_tokens: 100 },
      },
    });
  });

  it('maps tool_use blocks to tool_calls', () => {
    const out = mapAnthropicResponse({
      id: 'msg_01Aq9w938a90dw8q',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-20250514',
      content: [
        { type: 'text', text: "I'll check the weather." },
        {
          type: 'tool_use',
          id: 'toolu_01A09q90qw90lq917835lq9',
          name: 'get_weather',
          input: { location: 'San Francisco, CA', unit: 'celsius' },
        },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 10, output_tokens: 20 },
    });
    const choice = out.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBe("I'll check the weather.");
    expect(choice?.message.tool_calls).toEqual([
      {
        id: 'toolu_01A09q90qw90lq917835lq9',
        type: 'function',
        function: {
          name: 'get_weather',
          arguments: '{"location":"San Francisco, CA","unit":"celsius"}',
        },
      },
    ]);
  });

  it('uses null content when there are only tool calls, and length for max_tokens', () => {
    const onlyTool = mapAnthropicResponse({
      id: 'm',
      type: 'message',
      role: 'assistant',
      model: 'c',
      content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }],
      stop_reason: 'tool_use',
      usage: {},
    });
    expect(onlyTool.choices[0]?.message.content).toBeNull();
    const cut = mapAnthropicResponse({
      id: 'm',
      type: 'message',
      role: 'assistant',
      model: 'c',
      content: [{ type: 'text', text: 'abc' }],
      stop_reason: 'max_tokens',
      usage: {},
    });
    expect(cut.choices[0]?.finish_reason).toBe('length');
  });
});
