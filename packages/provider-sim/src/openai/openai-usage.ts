// OpenAI usage objects and the generic server error used for mid-stream failures.
import type { SimErrorSpec } from '../core/sim-error.js';

export function openaiUsage(
  promptTokens: number,
  completionTokens: number,
): Record<string, unknown> {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export function serverError(): SimErrorSpec {
  return {
    status: 500,
    kind: 'server',
    message: 'The server had an error while processing your request. Sorry about that! (simulated)',
  };
}
