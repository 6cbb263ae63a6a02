import { estimatePromptTokens } from '@bascule/providers';
import type { AcceptContext } from '../core/dialect.js';
import { parseDialectBody } from '../core/parse-dialect-body.js';
import { checkAnthropicHeaders } from './anthropic-messages-dialect.js';
import { countTokensRequestSchema, refuseAnthropicExtras } from './anthropic-request-schema.js';
import { toChatPrompt } from './to-chat-request.js';

/**
 * POST /v1/messages/count_tokens: the prompt's size as the gateway estimates it for every
 * target (the estimate its context-window checks use), whatever the Route would choose.
 */
export function countTokens(
  body: unknown,
  ctx: AcceptContext,
): { model: string; input_tokens: number } {
  checkAnthropicHeaders(ctx.headers);
  refuseAnthropicExtras(body);
  const r = parseDialectBody(countTokensRequestSchema, body, 'Anthropic Messages');
  const chat = toChatPrompt(r);
  return { model: r.model, input_tokens: estimatePromptTokens(chat) };
}
