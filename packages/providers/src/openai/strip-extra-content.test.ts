import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../openai-types/chat-completion-request.js';
import { stripExtraContent } from './strip-extra-content.js';

describe('stripExtraContent', () => {
  it('removes extra_content from tool calls only', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'x' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'a',
            type: 'function',
            function: { name: 'f', arguments: '{}' },
            extra_content: { google: { thought_signature: 's' } },
          },
        ],
      },
    ];
    expect(stripExtraContent(messages)[1]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }],
    });
    expect(messages[1]).toHaveProperty('tool_calls.0.extra_content');
  });
  it('returns the same array when there is nothing to strip', () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'x' }];
    expect(stripExtraContent(messages)).toBe(messages);
  });
});
