import type { Usage } from '../openai-types/responses.js';
import type { GeminiUsageMetadata } from './gemini-types.js';

/** usageMetadata to OpenAI usage; thinking tokens count as completion (reasoning) tokens. */
export function mapGeminiUsage(u: GeminiUsageMetadata | undefined): Usage | undefined {
  if (!u) return undefined;
  const prompt = u.promptTokenCount ?? 0;
  const thoughts = u.thoughtsTokenCount ?? 0;
  const completion = (u.candidatesTokenCount ?? 0) + thoughts;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: u.totalTokenCount ?? prompt + completion,
    ...(u.cachedContentTokenCount
      ? { prompt_tokens_details: { cached_tokens: u.cachedContentTokenCount } }
      : {}),
    ...(thoughts > 0 ? { completion_tokens_details: { reasoning_tokens: thoughts } } : {}),
  };
}
