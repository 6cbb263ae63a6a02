import type {
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  ChunkToolCallDelta,
  FinishReason,
  Usage,
} from '../openai-types/responses.js';
import { generateId, nowSeconds } from '../shared/ids.js';
import { parseJson, streamError } from '../shared/parse-json.js';
import type { SseEvent } from '../shared/parse-sse.js';
import type { GeminiResponse } from './gemini-types.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import { mapGeminiUsage } from './map-gemini-usage.js';
import { thoughtSignatureExtra } from './thought-signature.js';

interface CandidateState {
  started: boolean;
  toolCalls: number;
  finished: boolean;
}

/**
 * `streamGenerateContent?alt=sse` events (each a GenerateContentResponse with the new parts)
 * to OpenAI chunks. Gemini sends a function call whole, so each becomes one tool-call delta
 * with its full arguments. The last usageMetadata seen is the total.
 */
export function mapGeminiStream(
  provider: string,
  model: string,
  includeUsage: boolean,
  created = nowSeconds(),
) {
  return async function* (
    events: AsyncIterable<SseEvent>,
  ): AsyncGenerator<ChatCompletionChunk, Usage | undefined> {
    let id = generateId('chatcmpl-');
    let modelName = model;
    let usage: Usage | undefined;
    let first = true;
    const states = new Map<number, CandidateState>();
    const chunk = (
      index: number,
      delta: ChatCompletionChunkChoice['delta'],
      finish: FinishReason | null = null,
    ): ChatCompletionChunk => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model: modelName,
      choices: [{ index, delta, finish_reason: finish, logprobs: null }],
    });
    const stateOf = (i: number): CandidateState => {
      let s = states.get(i);
      if (!s) states.set(i, (s = { started: false, toolCalls: 0, finished: false }));
      return s;
    };
    for await (const ev of events) {
      const res = parseJson<GeminiResponse & { error?: unknown }>(ev.data, provider);
      if (res.error !== undefined) throw streamError(provider, res);
      if (first) {
        first = false;
        if (res.responseId) id = `chatcmpl-${res.responseId}`;
        if (res.modelVersion) modelName = res.modelVersion;
      }
      usage = mapGeminiUsage(res.usageMetadata) ?? usage;
      const candidates = res.candidates ?? [];
      if (candidates.length === 0 && res.promptFeedback?.blockReason) {
        const s = stateOf(0);
        if (!s.started) yield chunk(0, { role: 'assistant', content: '' });
        s.started = s.finished = true;
        yield chunk(0, {}, 'content_filter');
        continue;
      }
      for (const [pos, c] of candidates.entries()) {
        const index = c.index ?? pos;
        const s = stateOf(index);
        let text = '';
        const toolCalls: ChunkToolCallDelta[] = [];
        for (const part of c.content?.parts ?? []) {
          if (part.thought) continue;
          if (part.text) text += part.text;
          if (part.functionCall) {
            toolCalls.push({
              index: s.toolCalls++,
              id: part.functionCall.id ?? generateId('call_'),
              type: 'function',
              function: {
                name: part.functionCall.name,
                arguments: JSON.stringify(part.functionCall.args ?? {}),
              },
              ...thoughtSignatureExtra(part.thoughtSignature),
            });
          }
        }
        if (!s.started) {
          s.started = true;
          yield chunk(index, { role: 'assistant', content: '' });
        }
        if (text || toolCalls.length > 0) {
          yield chunk(index, {
            ...(text ? { content: text } : {}),
            ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          });
        }
        if (c.finishReason && !s.finished) {
          s.finished = true;
          yield chunk(index, {}, mapGeminiFinishReason(c.finishReason, s.toolCalls > 0));
        }
      }
    }
    if (includeUsage && usage) {
      yield { id, object: 'chat.completion.chunk', created, model: modelName, choices: [], usage };
    }
    return usage;
  };
}
