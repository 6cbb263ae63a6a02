import type { CallContext, CompleteResult, StreamResult } from '../core/provider-adapter.js';
import type { Usage } from '../openai-types/responses.js';
import { parseJson } from '../shared/parse-json.js';
import type { SseEvent } from '../shared/parse-sse.js';
import { sendRequest } from '../shared/send-request.js';
import { toStreamResult } from '../shared/to-stream-result.js';
import { DEFAULT_ANTHROPIC_BASE_URL, DEFAULT_ANTHROPIC_VERSION } from './anthropic-adapter.js';
import type { AnthropicUsage } from './anthropic-types.js';

/** An Anthropic Messages answer as Anthropic sent it: the JSON object, or its SSE events. */
export type AnthropicPassthroughResult =
  CompleteResult<Record<string, unknown>> | StreamResult<SseEvent>;

function toUsage(u: AnthropicUsage | undefined, input: number): Usage | undefined {
  if (!u) return undefined;
  const prompt =
    (u.input_tokens ?? input) +
    (u.cache_creation_input_tokens ?? 0) +
    (u.cache_read_input_tokens ?? 0);
  const completion = u.output_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(u.cache_read_input_tokens
      ? { prompt_tokens_details: { cached_tokens: u.cache_read_input_tokens } }
      : {}),
  };
}

/** Passes Anthropic's events through unchanged, reading usage from message_start and message_delta. */
async function* passEvents(
  events: AsyncIterable<SseEvent>,
): AsyncGenerator<SseEvent, Usage | undefined> {
  let start: AnthropicUsage | undefined;
  let delta: AnthropicUsage | undefined;
  for await (const e of events) {
    if (e.event === 'message_start' || e.event === 'message_delta') {
      const d = JSON.parse(e.data) as {
        message?: { usage?: AnthropicUsage };
        usage?: AnthropicUsage;
      };
      if (e.event === 'message_start') start = d.message?.usage;
      else delta = d.usage;
    }
    yield e;
  }
  if (!start && !delta) return undefined;
  // message_delta's usage is cumulative; input counts come from message_start when it omits them.
  return toUsage({ ...start, ...delta }, start?.input_tokens ?? 0);
}

/**
 * POST /v1/messages on an Anthropic Provider with the client's own Anthropic body (its `model`
 * replaced by the provider's model): nothing is translated, so nothing is lost.
 */
export async function sendAnthropicPassthrough(
  ctx: CallContext,
  body: Record<string, unknown>,
  beta?: string,
): Promise<AnthropicPassthroughResult> {
  const p = ctx.provider;
  const res = await sendRequest(ctx, {
    url: `${(p.baseUrl ?? DEFAULT_ANTHROPIC_BASE_URL).replace(/\/+$/, '')}/v1/messages`,
    headers: {
      ...(p.apiKey ? { 'x-api-key': p.apiKey } : {}),
      'anthropic-version': p.apiVersion ?? DEFAULT_ANTHROPIC_VERSION,
      ...(beta ? { 'anthropic-beta': beta } : {}),
    },
    body: { ...body, model: ctx.model },
  });
  if (body.stream === true) return toStreamResult(res, ctx, passEvents);
  const response = parseJson<Record<string, unknown> & { usage?: AnthropicUsage }>(
    await res.text(),
    p.name,
  );
  return { stream: false, response, usage: toUsage(response.usage, 0) };
}
