import { describe, expect, it } from 'vitest';
import { ProviderError } from '../core/provider-error.js';
import { buildGeminiRequest } from './build-gemini-request.js';
import { convertToGeminiContents } from './convert-to-gemini-contents.js';

// Target shapes: https://ai.google.dev/gemini-api/docs/text-generation (systemInstruction,
// role "model"), https://ai.google.dev/gemini-api/docs/function-calling (functionDeclarations,
// functionCall / functionResponse parts, toolConfig.functionCallingConfig modes).
describe('convertToGeminiContents', () => {
  it('maps roles, system instruction and a function call round trip', () => {
    const out = convertToGeminiContents([
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Turn the lights down to a romantic level' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: {
              name: 'set_light_values',
              arguments: '{"brightness":25,"color_temp":"warm"}',
            },
          },
        ],
      },
      {
        role: 'tool',
        tool_call_id: 'call_1',
        content: '{"brightness":25,"colorTemperature":"warm"}',
      },
    ]);
    expect(out).toEqual({
      systemInstruction: { parts: [{ text: 'You are a helpful assistant.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Turn the lights down to a romantic level' }] },
        {
          role: 'model',
          parts: [
            {
              functionCall: {
                name: 'set_light_values',
                args: { brightness: 25, color_temp: 'warm' },
              },
            },
          ],
        },
        {
          role: 'user',
          parts: [
            {
              functionResponse: {
                name: 'set_light_values',
                response: { brightness: 25, colorTemperature: 'warm' },
              },
            },
          ],
        },
      ],
    });
  });

  it('sends a thought signature back with its function call', () => {
    const out = convertToGeminiContents([
      { role: 'user', content: 'a' },
      {
        role: 'assistant',
        tool_calls: [
          {
            id: 'c',
            type: 'function',
            function: { name: 'f', arguments: '{}' },
            extra_content: { google: { thought_signature: 'sig==' } },
          },
        ],
      },
    ]);
    expect(out.contents[1]?.parts[0]).toEqual({
      functionCall: { name: 'f', args: {} },
      thoughtSignature: 'sig==',
    });
  });

  it('wraps a non-object tool result and merges consecutive user turns', () => {
    const out = convertToGeminiContents([
      { role: 'user', content: 'a' },
      {
        role: 'assistant',
        tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c', content: 'plain text' },
      {
        role: 'user',
        content: [{ type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } }],
      },
    ]);
    expect(out.contents[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { name: 'f', response: { result: 'plain text' } } },
        { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } },
      ],
    });
  });

  it('refuses a tool result without a matching call, naming the field', () => {
    expect(() =>
      convertToGeminiContents([{ role: 'tool', tool_call_id: 'nope', content: 'x' }]),
    ).toThrow(
      expect.objectContaining({ status: 400, param: 'messages[0].tool_call_id' }) as ProviderError,
    );
  });
});

describe('buildGeminiRequest', () => {
  const tools = [
    {
      type: 'function' as const,
      function: {
        name: 'get_weather',
        description: 'Weather',
        parameters: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          additionalProperties: false,
          properties: {
            location: { type: 'string' },
            opts: {
              type: 'object',
              additionalProperties: false,
              properties: { unit: { type: 'string' } },
            },
          },
          required: ['location'],
        },
      },
    },
    {
      type: 'function' as const,
      function: { name: 'now', parameters: { type: 'object', properties: {} } },
    },
  ];
  const base = { model: 'r', messages: [{ role: 'user' as const, content: 'hi' }] };

  it('declares functions with a cleaned schema and maps tool_choice', () => {
    const r = buildGeminiRequest({
      ...base,
      tools,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    expect(r.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather',
            parameters: {
              type: 'object',
              properties: {
                location: { type: 'string' },
                opts: { type: 'object', properties: { unit: { type: 'string' } } },
              },
              required: ['location'],
            },
          },
          { name: 'now' },
        ],
      },
    ]);
    expect(r.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    });
  });

  it.each([
    ['auto', 'AUTO'],
    ['none', 'NONE'],
    ['required', 'ANY'],
  ] as const)('tool_choice %s -> %s', (choice, mode) => {
    expect(buildGeminiRequest({ ...base, tools, tool_choice: choice }).toolConfig).toEqual({
      functionCallingConfig: { mode },
    });
  });

  it('maps sampling parameters to generationConfig', () => {
    const r = buildGeminiRequest({
      ...base,
      max_tokens: 100,
      temperature: 0.5,
      top_p: 0.8,
      stop: ['x'],
      n: 2,
      seed: 7,
      response_format: { type: 'json_object' },
    });
    expect(r.generationConfig).toEqual({
      maxOutputTokens: 100,
      temperature: 0.5,
      topP: 0.8,
      stopSequences: ['x'],
      candidateCount: 2,
      seed: 7,
      responseMimeType: 'application/json',
    });
    expect(buildGeminiRequest(base).generationConfig).toBeUndefined();
  });
});
