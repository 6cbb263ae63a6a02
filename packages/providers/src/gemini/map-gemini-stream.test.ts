import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../openai-types/responses.js';
import type { SseEvent } from '../shared/parse-sse.js';
import { mapGeminiStream } from './map-gemini-stream.js';

// streamGenerateContent?alt=sse yields one GenerateContentResponse per `data:` line
// (https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent).
async function run(list: unknown[], includeUsage = true) {
  async function* events(): AsyncGenerator<SseEvent> {
    for (const e of list) {
      await Promise.resolve();
      yield { data: JSON.stringify(e) };
    }
  }
  const gen = mapGeminiStream('gemini-test', 'gemini-2.5-flash', includeUsage, 1)(events());
  const chunks: ChatCompletionChunk[] = [];
  for (;;) {
    const r = await gen.next();
    if (r.done) return { chunks, usage: r.value };
    chunks.push(r.value);
  }
}

describe('mapGeminiStream', () => {
  it('maps text chunks, the finish reason and the final usage', async () => {
    const { chunks, usage } = await run([
      {
        candidates: [{ content: { parts: [{ text: 'The ' }], role: 'model' }, index: 0 }],
        usageMetadata: { promptTokenCount: 9 },
        modelVersion: 'gemini-2.5-flash',
        responseId: 'r1',
      },
      {
        candidates: [
          {
            content: { parts: [{ text: 'answer.' }], role: 'model' },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 3, totalTokenCount: 12 },
      },
    ]);
    expect(chunks.map((c) => [c.choices[0]?.delta, c.choices[0]?.finish_reason])).toEqual([
      [{ role: 'assistant', content: '' }, null],
      [{ content: 'The ' }, null],
      [{ content: 'answer.' }, null],
      [{}, 'stop'],
      [undefined, undefined],
    ]);
    expect(chunks.every((c) => c.id === 'chatcmpl-r1')).toBe(true);
    expect(usage).toEqual({ prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 });
    expect(chunks[4]?.usage).toEqual(usage);
  });

  it('emits a whole function call as one tool-call delta and finishes with tool_calls', async () => {
    const { chunks } = await run(
      [
        {
          candidates: [
            {
              content: {
                role: 'model',
                parts: [
                  { functionCall: { name: 'a', args: { x: 1 } } },
                  { functionCall: { name: 'b', args: {} } },
                ],
              },
              finishReason: 'STOP',
            },
          ],
        },
      ],
      false,
    );
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls.map((c) => [c.index, c.function?.name, c.function?.arguments])).toEqual([
      [0, 'a', '{"x":1}'],
      [1, 'b', '{}'],
    ]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('maps a blocked prompt to a content_filter finish', async () => {
    const { chunks } = await run(
      [{ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } }],
      false,
    );
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('content_filter');
  });

  it('throws on an in-stream error object', async () => {
    await expect(
      run([{ error: { code: 500, message: 'Internal', status: 'INTERNAL' } }]),
    ).rejects.toMatchObject({ name: 'ProviderError', message: 'gemini-test: Internal' });
  });
});
