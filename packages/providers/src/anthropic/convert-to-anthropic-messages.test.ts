import { describe, expect, it } from 'vitest';
import { ProviderError } from '../core/provider-error.js';
import type { ChatMessage } from '../openai-types/chat-completion-request.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

// Target shapes from https://docs.anthropic.com/en/api/messages (system, content blocks,
// image sources) and https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use
// (tool_use in the assistant turn, tool_result first in the next user turn).
describe('convertToAnthropicMessages', () => {
  it('extracts system and developer messages and merges consecutive user turns', () => {
    const out = convertToAnthropicMessages([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hi' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
      { role: 'user', content: 'How are you?' },
    ]);
    expect(out.system).toEqual([
      { type: 'text', text: 'You are terse.' },
      { type: 'text', text: 'Answer in French.' },
    ]);
    expect(out.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hi' },
          { type: 'text', text: 'How are you?' },
        ],
      },
    ]);
  });

  it('maps a tool call and its result to tool_use and tool_result blocks', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'What is the weather in San Francisco?' },
      {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [
          {
            id: 'toolu_01A09q90qw90lq917835lq9',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_01A09q90qw90lq917835lq9', content: '15 degrees' },
      { role: 'user', content: 'And tomorrow?' },
    ];
    expect(convertToAnthropicMessages(messages).messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'What is the weather in San Francisco?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me check.' },
          {
            type: 'tool_use',
            id: 'toolu_01A09q90qw90lq917835lq9',
            name: 'get_weather',
            input: { location: 'San Francisco, CA' },
          },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_01A09q90qw90lq917835lq9',
            content: '15 degrees',
          },
          { type: 'text', text: 'And tomorrow?' },
        ],
      },
    ]);
  });

  it('puts tool results before text even when the text came first', () => {
    const out = convertToAnthropicMessages([
      { role: 'user', content: 'x' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '' } }],
      },
      { role: 'user', content: 'note' },
      { role: 'tool', tool_call_id: 't1', content: 'r' },
    ]);
    expect(out.messages[2]?.content.map((b) => b.type)).toEqual(['tool_result', 'text']);
    expect(out.messages[1]?.content).toEqual([
      { type: 'tool_use', id: 't1', name: 'f', input: {} },
    ]);
  });

  it('maps data URLs to base64 image sources and http URLs to url sources', () => {
    const out = convertToAnthropicMessages([
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          { type: 'text', text: 'Compare.' },
        ],
      },
    ]);
    expect(out.messages[0]?.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      { type: 'text', text: 'Compare.' },
    ]);
  });

  it.each([
    [
      'audio',
      [
        {
          role: 'user',
          content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }],
        },
      ],
      'messages[0].content[0]',
    ],
    [
      'a PDF as an image',
      [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:application/pdf;base64,JVBERi0=' } },
          ],
        },
      ],
      'messages[0].content[0]',
    ],
    [
      'bad tool arguments',
      [
        { role: 'user', content: 'x' },
        {
          role: 'assistant',
          tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{oops' } }],
        },
      ],
      'messages[1].tool_calls[0].function.arguments',
    ],
  ])('refuses %s with a 400 naming the field', (_name, messages, param) => {
    let err: unknown;
    try {
      convertToAnthropicMessages(messages as ChatMessage[]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).status).toBe(400);
    expect((err as ProviderError).param).toBe(param);
    expect((err as ProviderError).message).toContain(param);
  });
});
