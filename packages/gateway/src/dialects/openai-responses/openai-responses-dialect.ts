import type { ChatMessage } from '@bascule/providers';
import type { Answer } from '../core/answer.js';
import type { Dialect, DialectRequest } from '../core/dialect.js';
import { parseDialectBody, unsupportedField } from '../core/parse-dialect-body.js';
import { GatewayError } from '../../errors/gateway-error.js';
import {
  outputOf,
  newId,
  renderResponse,
  statusOf,
  type ResponseFrame,
} from './render-response.js';
import type { ResponseStore } from './response-store.js';
import { responsesRequestSchema } from './responses-request-schema.js';
import { ResponseEventStream } from './stream-response-events.js';
import { conversationOf, toChatRequest } from './to-chat-request.js';

const NAME = 'OpenAI Responses';

/** The answer as the assistant's chat message (what a continued conversation sends back). */
function assistantMessage(a: Answer): ChatMessage {
  return {
    role: 'assistant',
    content: a.text.length > 0 ? a.text : null,
    ...(a.toolCalls.length > 0
      ? {
          tool_calls: a.toolCalls.map((t) => ({
            id: t.id,
            type: 'function' as const,
            function: { name: t.name, arguments: t.arguments },
          })),
        }
      : {}),
  };
}

/**
 * POST /v1/responses. With a store, Responses are kept unless `store: false`, and
 * `previous_response_id` continues a stored one (of the same key); without a store, nothing is
 * kept and asking for storage or a previous response is refused by name.
 */
export function createOpenAIResponsesDialect(
  store: ResponseStore | undefined,
  now: () => number = Date.now,
): Dialect {
  async function acceptFor(body: unknown, key: string | undefined): Promise<DialectRequest> {
    const r = parseDialectBody(responsesRequestSchema, body, NAME);
    if (!store && r.store === true)
      throw unsupportedField('store', 'stored responses are not enabled on this gateway');
    let previous: ChatMessage[] = [];
    if (r.previous_response_id) {
      if (!store)
        throw unsupportedField(
          'previous_response_id',
          'stored responses are not enabled on this gateway (send the whole conversation as input)',
        );
      const prev = await store.get(r.previous_response_id);
      if (!prev || prev.key !== key)
        throw new GatewayError({
          status: 404,
          code: 'previous_response_not_found',
          param: 'previous_response_id',
          message: `Previous response with id '${r.previous_response_id}' not found.`,
        });
      previous = prev.messages;
    }
    const conversation = conversationOf(r);
    const chat = toChatRequest(r, previous, conversation);
    const stored = store !== undefined && r.store !== false;
    const frame: ResponseFrame = {
      id: newId('resp'),
      createdAt: Math.floor(now() / 1000),
      request: r,
      stored,
    };
    const keep = async (response: Record<string, unknown>, a: Answer): Promise<void> => {
      if (!stored) return;
      await store.put(frame.id, {
        ...(key !== undefined ? { key } : {}),
        response,
        messages: [...previous, ...conversation, assistantMessage(a)],
      });
    };
    return {
      chat,
      async render(a) {
        const response = renderResponse(
          frame,
          statusOf(a),
          a.model || r.model,
          outputOf(a),
          a.usage,
        );
        await keep(response, a);
        return response;
      },
      stream: () => new ResponseEventStream(frame, r.model, keep),
    };
  }
  return {
    name: 'openai-responses',
    accept: (body, { key }) => acceptFor(body, key),
    error: (e) => ({ status: e.status, body: e.body }),
  };
}
