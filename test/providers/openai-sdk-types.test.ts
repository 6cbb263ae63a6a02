// What the adapters produce must fit the official `openai` SDK's response types (checked by
// tsc -p test), and a translated answer must read the same through them.
import {
  mapAnthropicResponse,
  mapGeminiResponse,
  type ChatCompletion,
  type ChatCompletionChunk,
  type TextCompletion,
  type TextCompletionChunk,
} from '@bascule/providers';
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';

// Compile-time checks: our output types are assignable to the SDK's.
export const asSdkCompletion = (c: ChatCompletion): OpenAI.ChatCompletion => c;
export const asSdkChunk = (c: ChatCompletionChunk): OpenAI.ChatCompletionChunk => c;
export const asSdkText = (c: TextCompletion): OpenAI.Completion => c;
export const asSdkTextChunk = (c: TextCompletionChunk): Omit<OpenAI.Completion, 'choices'> => c;

describe('adapter output fits the openai SDK types', () => {
  it('a translated Anthropic tool call reads back through the SDK type', () => {
    const sdk = asSdkCompletion(
      mapAnthropicResponse({
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude',
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } }],
        stop_reason: 'tool_use',
        usage: { input_tokens: 1, output_tokens: 2 },
      }),
    );
    const call = sdk.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? JSON.parse(call.function.arguments) : undefined).toEqual({
      a: 1,
    });
  });
  it('a translated Gemini answer reads back through the SDK type', () => {
    const sdk = asSdkCompletion(
      mapGeminiResponse(
        { candidates: [{ content: { parts: [{ text: 'hi' }] }, finishReason: 'MAX_TOKENS' }] },
        'g',
      ),
    );
    expect(sdk.choices[0]?.finish_reason).toBe('length');
  });
});
