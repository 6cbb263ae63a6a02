import type { FinishReason } from '@bascule/providers';
import {
  sseEvents,
  type DialectConformance,
  type ReadAnswer,
} from '../core/conformance-fixture.js';
import { anthropicMessagesDialect } from './anthropic-messages-dialect.js';

interface Block {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
}

const FINISH: Record<string, FinishReason> = {
  end_turn: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
};

const tool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } } },
};

function read(content: Block[], stop: string, usage: Record<string, number>): ReadAnswer {
  return {
    text: content
      .filter((b) => b.type === 'text')
      .map((b) => b.text)
      .join(''),
    toolCalls: content
      .filter((b) => b.type === 'tool_use')
      .map((b) => ({ id: b.id!, name: b.name!, input: b.input })),
    finish: FINISH[stop] ?? 'stop',
    inputTokens: usage.input_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
  };
}

export const anthropicMessagesConformance: DialectConformance = {
  dialect: anthropicMessagesDialect,
  headers: { 'anthropic-version': '2023-06-01' },
  textRequest: (stream) => ({
    model: 'm',
    max_tokens: 16,
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'Say hello' }],
    ...(stream ? { stream: true } : {}),
  }),
  toolRequest: (stream) => ({
    model: 'm',
    max_tokens: 64,
    tools: [tool],
    tool_choice: { type: 'any' },
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    ...(stream ? { stream: true } : {}),
  }),
  toolResultRequest: () => ({
    model: 'm',
    max_tokens: 64,
    tools: [tool],
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'Sunny' }] },
    ],
  }),
  unsupported: [
    {
      body: { model: 'm', max_tokens: 8, top_k: 5, messages: [{ role: 'user', content: 'x' }] },
      param: 'top_k',
    },
    {
      body: {
        model: 'm',
        max_tokens: 8,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [{ role: 'user', content: 'x' }],
      },
      param: 'thinking',
    },
    {
      body: {
        model: 'm',
        max_tokens: 8,
        tools: [{ type: 'web_search_20250305', name: 'web_search' }],
        messages: [{ role: 'user', content: 'x' }],
      },
      param: 'tools.0.type',
    },
    {
      body: {
        model: 'm',
        max_tokens: 8,
        messages: [
          {
            role: 'user',
            content: [{ type: 'document', source: { type: 'text', data: 'x' } }],
          },
        ],
      },
      param: 'messages.0.content.0.type',
    },
  ],
  readResponse(body) {
    const m = body as { content: Block[]; stop_reason: string; usage: Record<string, number> };
    return read(m.content, m.stop_reason, m.usage);
  },
  readStream(sse) {
    const content: Block[] = [];
    const json: string[] = [];
    let stop = '';
    let usage: Record<string, number> = {};
    const events = sseEvents(sse);
    for (const { event, data } of events) {
      const d = data as Record<string, unknown> & { type: string };
      if (event !== d.type) throw new Error(`event ${event} carries data of type ${d.type}`);
      if (d.type === 'content_block_start') {
        if (d.index !== content.length) throw new Error(`block ${String(d.index)} out of order`);
        content.push({ ...(d.content_block as Block) });
        json.push('');
      } else if (d.type === 'content_block_delta') {
        const delta = d.delta as { type: string; text?: string; partial_json?: string };
        const i = d.index as number;
        if (delta.type === 'text_delta') content[i]!.text += delta.text!;
        else json[i] += delta.partial_json!;
      } else if (d.type === 'content_block_stop') {
        const i = d.index as number;
        if (content[i]!.type === 'tool_use') content[i]!.input = JSON.parse(json[i] || '{}');
      } else if (d.type === 'message_delta') {
        stop = (d.delta as { stop_reason: string }).stop_reason;
        usage = d.usage as Record<string, number>;
      }
    }
    const order = events.map((e) => e.event);
    if (order[0] !== 'message_start' || order.at(-1) !== 'message_stop')
      throw new Error(
        `stream must open with message_start and end with message_stop: ${order.join(',')}`,
      );
    return read(content, stop, usage);
  },
  readError(status, body) {
    const b = body as { type: string; error: { type: string; message: string; param?: string } };
    if (b.type !== 'error') throw new Error('not an Anthropic error body');
    return { status, message: b.error.message, ...(b.error.param ? { param: b.error.param } : {}) };
  },
};
