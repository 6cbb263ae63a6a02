import { describe, expect, it } from 'vitest';
import { buildAnthropicRequest } from './build-anthropic-request.js';
import { prepareAnthropicTools } from './prepare-anthropic-tools.js';

const tool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Get the current weather in a given location',
    parameters: {
      type: 'object',
      properties: { location: { type: 'string' } },
      required: ['location'],
    },
  },
};
const base = { model: 'route', messages: [{ role: 'user' as const, content: 'hi' }] };

// tool_choice forms from https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use#forcing-tool-use
describe('prepareAnthropicTools', () => {
  it('maps function tools to input_schema tools', () => {
    expect(prepareAnthropicTools({ ...base, tools: [tool] }).tools).toEqual([
      {
        name: 'get_weather',
        description: 'Get the current weather in a given location',
        input_schema: tool.function.parameters,
      },
    ]);
  });
  it.each([
    ['auto', undefined, { type: 'auto' }],
    ['required', undefined, { type: 'any' }],
    ['none', undefined, { type: 'none' }],
    [
      { type: 'function', function: { name: 'get_weather' } },
      undefined,
      { type: 'tool', name: 'get_weather' },
    ],
    ['auto', false, { type: 'auto', disable_parallel_tool_use: true }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    [undefined, undefined, undefined],
  ] as const)('tool_choice %j, parallel %s -> %j', (choice, parallel, expected) => {
    const out = prepareAnthropicTools({
      ...base,
      tools: [tool],
      ...(choice ? { tool_choice: choice } : {}),
      ...(parallel === undefined ? {} : { parallel_tool_calls: parallel }),
    });
    expect(out.tool_choice).toEqual(expected);
  });
  it('sends no tools when there are none', () => {
    expect(prepareAnthropicTools({ ...base, tool_choice: 'auto' })).toEqual({});
  });
});

describe('buildAnthropicRequest', () => {
  it('always sets max_tokens: client value, else model default, else 4096', () => {
    expect(buildAnthropicRequest({ ...base, max_tokens: 50 }, 'claude', 8192).max_tokens).toBe(50);
    expect(
      buildAnthropicRequest({ ...base, max_completion_tokens: 70 }, 'claude', 8192).max_tokens,
    ).toBe(70);
    expect(buildAnthropicRequest(base, 'claude', 8192).max_tokens).toBe(8192);
    expect(buildAnthropicRequest(base, 'claude', undefined).max_tokens).toBe(4096);
  });
  it('maps sampling, stop and user fields', () => {
    const r = buildAnthropicRequest(
      { ...base, temperature: 1.5, top_p: 0.9, stop: 'END', user: 'u-1', stream: true },
      'claude-x',
      undefined,
    );
    expect(r).toMatchObject({
      model: 'claude-x',
      temperature: 1,
      top_p: 0.9,
      stop_sequences: ['END'],
      metadata: { user_id: 'u-1' },
      stream: true,
    });
  });
});
