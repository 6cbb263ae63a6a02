import type { ChatMessage } from '../openai-types/chat-completion-request.js';

/**
 * Drops `extra_content` (a Gemini thought signature a client echoes back) from assistant tool
 * calls, for upstreams that do not know the field (OpenAI, Azure). Returns the same array when
 * there is nothing to drop.
 */
export function stripExtraContent(messages: ChatMessage[]): ChatMessage[] {
  const has = messages.some(
    (m) => m.role === 'assistant' && m.tool_calls?.some((tc) => tc.extra_content),
  );
  if (!has) return messages;
  return messages.map((m) =>
    m.role === 'assistant' && m.tool_calls
      ? { ...m, tool_calls: m.tool_calls.map(({ extra_content: _x, ...tc }) => tc) }
      : m,
  );
}
