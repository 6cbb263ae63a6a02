export interface TokenCounts {
  promptTokens: number;
  completionTokens: number;
}

const PROMPT = /"prompt_tokens"\s*:\s*(\d+)/;
const COMPLETION = /"completion_tokens"\s*:\s*(\d+)/;

/**
 * Token counts from the `usage` object of an OpenAI JSON text (a response body or a chunk),
 * without parsing the whole document: usage is the last object vLLM and OpenAI write.
 */
export function extractUsage(text: string): TokenCounts | undefined {
  const at = text.lastIndexOf('"usage"');
  if (at < 0) return undefined;
  const tail = text.slice(at, at + 600);
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
