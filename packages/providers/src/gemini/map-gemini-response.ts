import type {
  ChatCompletion,
  ChatCompletionChoice,
  ResponseToolCall,
} from '../openai-types/responses.js';
import { generateId, nowSeconds } from '../shared/ids.js';
import type { GeminiCandidate, GeminiResponse } from './gemini-types.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import { mapGeminiUsage } from './map-gemini-usage.js';
import { thoughtSignatureExtra } from './thought-signature.js';

/**
 * A generateContent response as an OpenAI chat completion: one choice per candidate,
 * functionCall parts as tool_calls (ids generated when Gemini gives none), a blocked prompt
 * (promptFeedback.blockReason, no candidates) as an empty `content_filter` choice.
 */
export function mapGeminiResponse(
  res: GeminiResponse,
  model: string,
  created = nowSeconds(),
): ChatCompletion {
  const candidates = res.candidates ?? [];
  const choices: ChatCompletionChoice[] =
    candidates.length > 0
      ? candidates.map((c, i) => mapCandidate(c, i))
      : [
          {
            index: 0,
            message: { role: 'assistant', content: '', refusal: null },
            finish_reason: 'content_filter',
            logprobs: null,
          },
        ];
  const usage = mapGeminiUsage(res.usageMetadata);
  return {
    id: res.responseId ? `chatcmpl-${res.responseId}` : generateId('chatcmpl-'),
    object: 'chat.completion',
    created,
    model: res.modelVersion ?? model,
    choices,
    ...(usage ? { usage } : {}),
  };
}

function mapCandidate(c: GeminiCandidate, i: number): ChatCompletionChoice {
  let text = '';
  const toolCalls: ResponseToolCall[] = [];
  for (const part of c.content?.parts ?? []) {
    if (part.thought) continue;
    if (part.text !== undefined) text += part.text;
    if (part.functionCall) {
      toolCalls.push({
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
  return {
    index: c.index ?? i,
    message: {
      role: 'assistant',
      content: text === '' && toolCalls.length > 0 ? null : text,
      refusal: null,
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    },
    finish_reason: mapGeminiFinishReason(c.finishReason, toolCalls.length > 0),
    logprobs: null,
  };
}
