import { getEncoding, type Tiktoken } from 'js-tiktoken';

/** Counts prompt tokens. `tiktoken` uses cl100k_base (js-tiktoken); `approx` is ceil(chars / 4). */
export type TokenizerKind = 'tiktoken' | 'approx';

export type TokenCounter = (text: string) => number;

let shared: Tiktoken | undefined;

/**
 * A token counter. The cl100k_base encoder is loaded once per process (about 60 MB of heap)
 * and shared by every engine in it; `approx` costs nothing and is what the capacity benchmark
 * uses to measure the engine rather than the tokenizer.
 */
export function createTokenCounter(kind: TokenizerKind = 'tiktoken'): TokenCounter {
  if (kind === 'approx') return (text) => Math.ceil(text.length / 4);
  return (text) => {
    shared ??= getEncoding('cl100k_base');
    return shared.encode(text, 'all').length;
  };
}

/** One chat message's text (string content or the text parts of an array). */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p: unknown) =>
        p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string'
          ? (p as { text: string }).text
          : '',
      )
      .join('');
  }
  return '';
}

/**
 * Prompt tokens of a chat request as a Llama-3-style template would render it: each message's
 * content plus 4 tokens of role header and end-of-turn, plus 3 for the assistant header.
 */
export function countChatTokens(
  count: TokenCounter,
  messages: ReadonlyArray<{ role?: unknown; content?: unknown }>,
): number {
  let n = 3;
  for (const m of messages) n += count(messageText(m.content)) + 4;
  return n;
}
