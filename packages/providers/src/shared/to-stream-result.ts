import type { CallContext, StreamResult } from '../core/provider-adapter.js';
import type { HttpResponse } from '../http/http-client.js';
import type { Usage } from '../openai-types/responses.js';
import { parseSse, type SseEvent } from './parse-sse.js';
import { transportError } from './send-request.js';

/** A stateful mapping from a provider's SSE events to OpenAI objects; returns the usage. */
export type StreamMapper<T> = (
  events: AsyncIterable<SseEvent>,
) => AsyncGenerator<T, Usage | undefined>;

/**
 * Wraps a streaming response: parses SSE, maps events, releases the connection when the
 * consumer stops early, turns transport failures into ProviderErrors and resolves `usage`.
 */
export function toStreamResult<T>(
  res: HttpResponse,
  ctx: CallContext,
  map: StreamMapper<T>,
): StreamResult<T> {
  let resolveUsage: (u: Usage | undefined) => void = () => undefined;
  const usage = new Promise<Usage | undefined>((r) => (resolveUsage = r));
  async function* run(): AsyncGenerator<T> {
    let final: Usage | undefined;
    try {
      const gen = map(parseSse(res.body));
      for (;;) {
        const r = await gen.next();
        if (r.done) {
          final = r.value;
          break;
        }
        yield r.value;
      }
    } catch (err) {
      throw transportError(err, ctx);
    } finally {
      res.cancel();
      resolveUsage(final);
    }
  }
  return { stream: true, chunks: run(), usage };
}
