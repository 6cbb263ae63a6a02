export interface TokenCounts {
  promptTokens: number;
  completionTokens: number;
}

const PROMPT = /"prompt_tokens"\s*:\s*(\d+)/;
const COMPLETION = /"completion_tokens"\s*:\s*(\d+)/;

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
  const p = PROMPT.exec(tail);
  if (!p) return undefined;
  const c = COMPLETION.exec(tail);
  return { promptTokens: Number(p[1]), completionTokens: c ? Number(c[1]) : 0 };
}

/** A provider's OpenAI-shaped usage as token counts. */
export function tokenCounts(
  u: { prompt_tokens: number; completion_tokens?: number } | undefined,
): TokenCounts | undefined {
  return u
    ? { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens ?? 0 }
    : undefined;
}
