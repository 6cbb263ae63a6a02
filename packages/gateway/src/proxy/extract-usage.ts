import { isJsonSpace } from '@bascule/spec';

export interface TokenCounts {
  promptTokens: number;
  completionTokens: number;
}

/**
 * Token counts from the `usage` object of an OpenAI JSON text or its bytes (a response body or
 * a chunk), without parsing or decoding the whole document: usage is the last object vLLM and
 * OpenAI write. Of bytes only the tail after "usage" is read (as latin1: the counts are ASCII).
 */
export function extractUsage(text: string | Buffer): TokenCounts | undefined {
  const at = text.lastIndexOf('"usage"');
  if (at < 0) return undefined;
  const tail =
    typeof text === 'string' ? text.slice(at, at + 600) : text.toString('latin1', at, at + 600);
  const p = countOf(tail, '"prompt_tokens"');
  if (p === undefined) return undefined;
  return { promptTokens: p, completionTokens: countOf(tail, '"completion_tokens"') ?? 0 };
}

/**
 * The integer after the first `key` followed by `:` (JSON whitespace around it) and digits:
 * what /"key"\s*:\s*(\d+)/ matches, found with indexOf (a regex run was ~900 instructions of
 * every request).
 */
function countOf(text: string, key: string): number | undefined {
  for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) {
    let i = skipSpace(text, at + key.length);
    if (text.charCodeAt(i) !== 0x3a /* : */) continue;
    i = skipSpace(text, i + 1);
    let n = 0;
    const first = i;
    for (let c = text.charCodeAt(i); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++i))
      n = n * 10 + (c - 0x30);
    if (i > first) return n;
  }
  return undefined;
}

function skipSpace(text: string, i: number): number {
  while (isJsonSpace(text.charCodeAt(i))) i++;
  return i;
}

/** A provider's OpenAI-shaped usage as token counts. */
export function tokenCounts(
  u: { prompt_tokens: number; completion_tokens?: number } | undefined,
): TokenCounts | undefined {
  return u
    ? { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens ?? 0 }
    : undefined;
}
