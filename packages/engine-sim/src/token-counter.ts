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

/** A prompt's token ids (for prefix-cache block hashes); `length` is its token count. */
export type TokenEncoder = (text: string) => ArrayLike<number>;

/**
 * Token ids consistent with {@link createTokenCounter}: cl100k_base ids, or for `approx` one
 * pseudo-id per 4 characters (a hash of them), so equal text prefixes give equal ids.
 */
export function createTokenEncoder(kind: TokenizerKind = 'tiktoken'): TokenEncoder {
  if (kind === 'approx') {
    return (text) => {
      const ids = new Array<number>(Math.ceil(text.length / 4));
      for (let i = 0; i < ids.length; i++) {
        let h = 0;
        for (let j = i * 4; j < Math.min(text.length, i * 4 + 4); j++)
          h = (Math.imul(h, 31) + text.charCodeAt(j)) | 0;
        ids[i] = h;
      }
      return ids;
    };
  }
  return (text) => {
    shared ??= getEncoding('cl100k_base');
    return shared.encode(text, 'all');
  };
}

function roleId(role: unknown): number {
  const r = typeof role === 'string' ? role : '';
  let h = 7;
  for (let i = 0; i < r.length; i++) h = (Math.imul(h, 31) + r.charCodeAt(i)) | 0;
  return h;
}

/**
 * The token ids of a chat prompt laid out as {@link countChatTokens} counts it: per message
 * four marker ids (role header and end of turn) around its content, then three for the
 * assistant header. Marker ids are negative, so they never equal a content token.
 */
export function chatTokenIds(
  encode: TokenEncoder,
  messages: ReadonlyArray<{ role?: unknown; content?: unknown }>,
): number[] {
  const ids: number[] = [];
  for (const m of messages) {
    ids.push(-1, roleId(m.role), -2);
    const content = encode(messageText(m.content));
    for (let i = 0; i < content.length; i++) ids.push(content[i]!);
    ids.push(-3);
  }
  ids.push(-1, roleId('assistant'), -2);
  return ids;
}
