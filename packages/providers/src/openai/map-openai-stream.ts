import type { SseEvent } from '../shared/parse-sse.js';
import { parseJson, streamError } from '../shared/parse-json.js';
import type { Usage } from '../openai-types/responses.js';

interface UsageCarrier {
  usage?: Usage | null;
  choices?: unknown[];
  error?: unknown;
}

/**
 * Passes OpenAI chunks through until `[DONE]`, keeping the usage. We always ask for
 * `include_usage`; the usage-only chunk is forwarded only if the client asked for it too.
 */
export function mapOpenAIStream<T extends UsageCarrier>(
  provider: string,
  clientWantsUsage: boolean,
) {
  return async function* (events: AsyncIterable<SseEvent>): AsyncGenerator<T, Usage | undefined> {
    let usage: Usage | undefined;
    for await (const ev of events) {
      if (ev.data === '[DONE]') break;
      const chunk = parseJson<T>(ev.data, provider);
      if (chunk.error !== undefined) throw streamError(provider, chunk);
      if (chunk.usage) usage = chunk.usage;
      const usageOnly = chunk.usage && (chunk.choices?.length ?? 0) === 0;
      if (usageOnly && !clientWantsUsage) continue;
      if (!clientWantsUsage && chunk.usage === null) delete chunk.usage;
      yield chunk;
    }
    return usage;
  };
}
