import type { ChatCompletionRequest } from '../openai-types/chat-completion-request.js';
import type { AnthropicRequest } from './anthropic-types.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';
import { prepareAnthropicTools } from './prepare-anthropic-tools.js';

export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

/**
 * The Messages request body. `max_tokens` is required by Anthropic: the client's, else the
 * model's max output, else 4096. Temperature is clamped to Anthropic's 0..1 range.
 */
export function buildAnthropicRequest(
  req: ChatCompletionRequest,
  model: string,
  defaultMaxTokens: number | undefined,
): AnthropicRequest {
  const { system, messages } = convertToAnthropicMessages(req.messages);
  const stop = req.stop == null ? undefined : typeof req.stop === 'string' ? [req.stop] : req.stop;
  return {
    model,
    max_tokens:
      req.max_completion_tokens ??
      req.max_tokens ??
      defaultMaxTokens ??
      DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages,
    ...(system ? { system } : {}),
    ...(req.temperature != null ? { temperature: Math.min(1, req.temperature) } : {}),
    ...(req.top_p != null ? { top_p: req.top_p } : {}),
    ...(stop && stop.length > 0 ? { stop_sequences: stop } : {}),
    ...prepareAnthropicTools(req),
    ...(req.user ? { metadata: { user_id: req.user } } : {}),
    ...(req.stream ? { stream: true } : {}),
  };
}
