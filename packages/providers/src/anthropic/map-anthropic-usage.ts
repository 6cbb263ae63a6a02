import type { Usage } from '../openai-types/responses.js';
import type { AnthropicUsage } from './anthropic-types.js';

/** Anthropic counts cached input apart from `input_tokens`; OpenAI's prompt_tokens includes it. */
export function mapAnthropicUsage(u: AnthropicUsage): Usage {
  const cacheRead = u.cache_read_input_tokens ?? 0;
  const prompt = (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + cacheRead;
  const completion = u.output_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(cacheRead > 0 ? { prompt_tokens_details: { cached_tokens: cacheRead } } : {}),
  };
}
