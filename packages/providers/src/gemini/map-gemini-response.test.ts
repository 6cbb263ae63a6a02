import { describe, expect, it } from 'vitest';
import { mapGeminiResponse } from './map-gemini-response.js';

// Response shapes: https://ai.google.dev/api/generate-content#generatecontentresponse and the
// function-calling guide https://ai.google.dev/gemini-api/docs/function-calling
describe('mapGeminiResponse', () => {
  it('maps text, usageMetadata and model version', () => {
    const out = mapGeminiResponse(
      {
        candidates: [
          {
            content: { parts: [{ text: 'AI works by ' }, { text: 'learning.' }], role: 'model' },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        usageMetadata: {
          promptTokenCount: 8,
          candidatesTokenCount: 5,
          totalTokenCount: 20,
          thoughtsTokenCount: 7,
        },
        modelVersion: 'gemini-2.5-flash',
        responseId: 'abc',
      },
      'gemini-2.5-flash',
      1,
    );
    expect(out).toEqual({
      id: 'chatcmpl-abc',
      object: 'chat.completion',
      created: 1,
      model: 'gemini-2.5-flash',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'AI works by learning.', refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 8,
        completion_tokens: 12,
        total_tokens: 20,
        completion_tokens_details: { reasoning_tokens: 7 },
      },
    });
  });

  it('maps functionCall parts to tool_calls with generated ids', () => {
    const out = mapGeminiResponse(
      {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                {
                  functionCall: {
                    name: 'set_light_values',
                    args: { brightness: 25, color_temp: 'warm' },
                  },
                },
              ],
            },
            finishReason: 'STOP',
          },
        ],
      },
      'gemini-2.5-flash',
    );
    const choice = out.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls?.[0]?.function).toEqual({
      name: 'set_light_values',
      arguments: '{"brightness":25,"color_temp":"warm"}',
    });
    expect(choice?.message.tool_calls?.[0]?.id).toMatch(/^call_/);
    expect(choice?.message.tool_calls?.[0]?.extra_content).toBeUndefined();
  });

  it('keeps a thought signature on the tool call (https://ai.google.dev/gemini-api/docs/thought-signatures)', () => {
    const out = mapGeminiResponse(
      {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [{ functionCall: { name: 'f', args: {} }, thoughtSignature: 'CiQB...' }],
            },
            finishReason: 'STOP',
          },
        ],
      },
      'gemini-2.5-pro',
    );
    expect(out.choices[0]?.message.tool_calls?.[0]?.extra_content).toEqual({
      google: { thought_signature: 'CiQB...' },
    });
  });

  it('maps a safety stop and a blocked prompt to content_filter', () => {
    const safety = mapGeminiResponse({ candidates: [{ finishReason: 'SAFETY', index: 0 }] }, 'g');
    expect(safety.choices[0]).toMatchObject({
      finish_reason: 'content_filter',
      message: { content: '' },
    });
    const blocked = mapGeminiResponse(
      {
        promptFeedback: { blockReason: 'SAFETY' },
        usageMetadata: { promptTokenCount: 3, totalTokenCount: 3 },
      },
      'g',
    );
    expect(blocked.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: '', refusal: null },
        finish_reason: 'content_filter',
        logprobs: null,
      },
    ]);
    expect(blocked.usage).toEqual({ prompt_tokens: 3, completion_tokens: 0, total_tokens: 3 });
  });
});
