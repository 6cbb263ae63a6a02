import type { IncomingHttpHeaders } from 'node:http';
import type { Dialect, DialectRequest } from '../core/dialect.js';
import { parseDialectBody, unsupportedField } from '../core/parse-dialect-body.js';
import { anthropicError } from './anthropic-error.js';
import { messagesRequestSchema, refuseAnthropicExtras } from './anthropic-request-schema.js';
import { messageId, renderMessage } from './render-message.js';
import { MessageEventStream } from './stream-message-events.js';
import { toChatRequest } from './to-chat-request.js';

const NAME = 'Anthropic Messages';

/**
 * The headers Anthropic's API requires or changes behaviour with: `anthropic-version` must be
 * sent (any dated version: the fields the gateway carries are the same in all of them);
 * `anthropic-beta` features are not carried, so asking for one is refused rather than ignored.
 */
export function checkAnthropicHeaders(headers: IncomingHttpHeaders): void {
  const version = headers['anthropic-version'];
  if (version === undefined || version === '')
    throw unsupportedField('anthropic-version', 'header is required (e.g. 2023-06-01)');
  const beta = headers['anthropic-beta'];
  if (beta !== undefined && beta !== '')
    throw unsupportedField(
      'anthropic-beta',
      `header is not supported by the gateway's ${NAME} endpoint (beta features are not carried to targets)`,
    );
}

/** POST /v1/messages. */
export const anthropicMessagesDialect: Dialect = {
  name: 'anthropic-messages',
  accept(body, { headers }): DialectRequest {
    checkAnthropicHeaders(headers);
    refuseAnthropicExtras(body);
    const r = parseDialectBody(messagesRequestSchema, body, NAME);
    const id = messageId();
    return {
      chat: toChatRequest(r),
      render: (a) => Promise.resolve(renderMessage(a, id, a.model || r.model)),
      stream: () => new MessageEventStream(id, r.model),
      native: { providerType: 'anthropic', body: r },
    };
  },
  error: anthropicError,
};
