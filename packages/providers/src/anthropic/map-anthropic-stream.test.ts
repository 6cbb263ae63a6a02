import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../openai-types/responses.js';
import type { SseEvent } from '../shared/parse-sse.js';
import { mapAnthropicStream } from './map-anthropic-stream.js';

// The "Streaming request with tool use" event sequence from
// https://docs.anthropic.com/en/docs/build-with-claude/streaming (abridged deltas).
const toolStream: unknown[] = [
  {
    type: 'message_start',
    message: {
      id: 'msg_014p7gG3wDgGV9EUtLvnow3U',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-20250514',
      stop_sequence: null,
      usage: { input_tokens: 472, output_tokens: 2 },
      content: [],
      stop_reason: null,
    },
  },
  { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  { type: 'ping' },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Okay' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ', let me check.' } },
  { type: 'content_block_stop', index: 0 },
  {
    type: 'content_block_start',
    index: 1,
    content_block: {
      type: 'tool_use',
      id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
      name: 'get_weather',
      input: {},
    },
  },
  { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } },
  {
    type: 'content_block_delta',
    index: 1,
    delta: { type: 'input_json_delta', partial_json: '{"location":' },
  },
  {
    type: 'content_block_delta',
    index: 1,
    delta: { type: 'input_json_delta', partial_json: ' "San Francisco, CA"}' },
  },
  { type: 'content_block_stop', index: 1 },
  {
    type: 'message_delta',
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { output_tokens: 89 },
  },
  { type: 'message_stop' },
];

async function* events(list: unknown[]): AsyncGenerator<SseEvent> {
  for (const e of list) {
    await Promise.resolve();
    yield { event: (e as { type: string }).type, data: JSON.stringify(e) };
  }
}

async function collect(list: unknown[], includeUsage: boolean) {
  const gen = mapAnthropicStream('anthropic-test', includeUsage, 1)(events(list));
  const chunks: ChatCompletionChunk[] = [];
  for (;;) {
    const r = await gen.next();
    if (r.done) return { chunks, usage: r.value };
    chunks.push(r.value);
  }
}

describe('mapAnthropicStream', () => {
  it('maps text and tool-use events to OpenAI chunks with argument deltas', async () => {
    const { chunks, usage } = await collect(toolStream, true);
    const deltas = chunks.map((c) => c.choices[0]?.delta);
    expect(deltas).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Okay' },
      { content: ', let me check.' },
      {
        tool_calls: [
          {
            index: 0,
            id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"location":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: ' "San Francisco, CA"}' } }] },
      {},
      undefined,
    ]);
    expect(chunks[6]?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks[7]?.choices).toEqual([]);
    expect(chunks[7]?.usage).toEqual({
      prompt_tokens: 472,
      completion_tokens: 89,
      total_tokens: 561,
    });
    expect(usage).toEqual({ prompt_tokens: 472, completion_tokens: 89, total_tokens: 561 });
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set(['msg_014p7gG3wDgGV9EUtLvnow3U']));
    const args = deltas
      .flatMap((d) => d?.tool_calls ?? [])
      .map((t) => t.function?.arguments ?? '')
      .join('');
    expect(JSON.parse(args)).toEqual({ location: 'San Francisco, CA' });
  });

  it('numbers several tool_use blocks 0, 1 and omits the usage chunk unless asked', async () => {
    const list = [
      toolStream[0],
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'a', name: 'f', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{}' },
      },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'b', name: 'g', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"x":1}' },
      },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 5 } },
      { type: 'message_stop' },
    ];
    const { chunks } = await collect(list, false);
    const indexes = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).map((t) => t.index);
    expect(indexes).toEqual([0, 0, 1, 1]);
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
  });

  it('turns an in-stream error event into a ProviderError', async () => {
    const list = [
      toolStream[0],
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    ];
    await expect(collect(list, false)).rejects.toMatchObject({
      name: 'ProviderError',
      status: 503,
      message: 'anthropic-test: Overloaded',
    });
  });
});
