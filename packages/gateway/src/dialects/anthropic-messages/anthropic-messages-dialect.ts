import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { AcceptContext, Dialect, DialectRequest } from '../core/dialect.js';
import { parseDialectBody, unsupportedField } from '../core/parse-dialect-body.js';
import { anthropicError } from './anthropic-error.js';
import { messagesRequestSchema, splitAnthropicExtras } from './anthropic-request-schema.js';
import { messageId, renderMessage } from './render-message.js';
import { MessageEventStream } from './stream-message-events.js';
import { toChatRequest } from './to-chat-request.js';

const NAME = 'Anthropic Messages';

/**
 * The headers Anthropic's API requires or changes behaviour with: `anthropic-version` must be
 * sent (any dated version: the fields the gateway carries are the same in all of them);
 * `anthropic-beta` features reach only Anthropic Providers, so asking for one is refused unless
 * every target is one (`native`), and returned to be sent on then.
 */
export function checkAnthropicHeaders(
  headers: IncomingHttpHeaders,
  native = false,
): string | undefined {
  const version = headers['anthropic-version'];
  if (version === undefined || version === '')
    throw unsupportedField('anthropic-version', 'header is required (e.g. 2023-06-01)');
  const raw = headers['anthropic-beta'];
  const beta = Array.isArray(raw) ? raw.join(',') : raw;
  if (beta === undefined || beta === '') return undefined;
  if (!native)
    throw unsupportedField(
      'anthropic-beta',
      `header is not supported by the gateway's ${NAME} endpoint on this Route (beta features reach only Anthropic Providers: a Route whose every target is one carries them)`,
    );
  return beta;
}

/** The request's `model` when it is a string (before validation). */
function modelOf(body: unknown): string | undefined {
  const m = (body as { model?: unknown } | null)?.model;
  return typeof m === 'string' ? m : undefined;
}

/**
 * Validates an Anthropic request. When every target is an Anthropic Provider, Anthropic-only
 * fields go through untranslated and the chat form (for routing, limits
 * and metering) is built from what every target carries; otherwise they are refused by name.
 */
export function readAnthropicRequest<T>(
  schema: z.ZodType<T>,
  body: unknown,
  { headers, routesOnlyTo }: AcceptContext,
): { r: T; onlyAnthropic: boolean; beta: string | undefined } {
  const model = modelOf(body);
  const onlyAnthropic = model !== undefined && routesOnlyTo?.(model, 'anthropic') === true;
  const beta = checkAnthropicHeaders(headers, onlyAnthropic);
  const { carried, extras } = splitAnthropicExtras(body);
  const refused = onlyAnthropic ? undefined : extras.find((e) => e.param.includes('.'));
  if (refused) throw unsupportedField(refused.param, refused.why);
  const r = parseDialectBody(schema, onlyAnthropic ? carried : body, NAME);
  return { r, onlyAnthropic, beta };
}

/** POST /v1/messages. */
export const anthropicMessagesDialect: Dialect = {
  name: 'anthropic-messages',
  accept(body, ctx): DialectRequest {
    const { r, onlyAnthropic, beta } = readAnthropicRequest(messagesRequestSchema, body, ctx);
    const id = messageId();
    return {
      chat: toChatRequest(r),
      render: (a) => Promise.resolve(renderMessage(a, id, a.model || r.model)),
      stream: () => new MessageEventStream(id, r.model),
      native: {
        providerType: 'anthropic',
        body: onlyAnthropic ? (body as Record<string, unknown>) : r,
        ...(beta ? { beta } : {}),
      },
    };
  },
  error: anthropicError,
};
