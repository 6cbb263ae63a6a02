import { estimatePromptTokens } from '@bascule/providers';
import type { AcceptContext } from '../core/dialect.js';
import { readAnthropicRequest } from './anthropic-messages-dialect.js';
import { countTokensRequestSchema } from './anthropic-request-schema.js';
import { toChatPrompt } from './to-chat-request.js';

/**
 * POST /v1/messages/count_tokens: the prompt's size as the gateway estimates it for every
 * target (the estimate its context-window checks use), whatever the Route would choose; on a
 * Route of Anthropic Providers only, of the parts translation would carry.
 */
export function countTokens(
  body: unknown,
  ctx: AcceptContext,
): { model: string; input_tokens: number } {
  const { r } = readAnthropicRequest(countTokensRequestSchema, body, ctx);
  const chat = toChatPrompt(r);
  return { model: r.model, input_tokens: estimatePromptTokens(chat) };
}
