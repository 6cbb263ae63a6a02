import type { ChatCompletion, ResponseToolCall } from '../openai-types/responses.js';
import { nowSeconds } from '../shared/ids.js';
import type { AnthropicResponse } from './anthropic-types.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';
import { mapAnthropicUsage } from './map-anthropic-usage.js';

/** A Messages response as an OpenAI chat completion (text joined, tool_use as tool_calls). */
export function mapAnthropicResponse(
  res: AnthropicResponse,
  created = nowSeconds(),
): ChatCompletion {
  let text = '';
  const toolCalls: ResponseToolCall[] = [];
  for (const block of res.content) {
    if (block.type === 'text') text += block.text ?? '';
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id ?? '',
        type: 'function',
        function: { name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  return {
    id: res.id,
    object: 'chat.completion',
    created,
    model: res.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && toolCalls.length > 0 ? null : text,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: mapAnthropicStopReason(res.stop_reason),
        logprobs: null,
      },
    ],
    usage: mapAnthropicUsage(res.usage),
  };
}
