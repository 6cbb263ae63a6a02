import type { FinishReason } from '@bascule/providers';
import {
  sseEvents,
  type DialectConformance,
  type ReadAnswer,
} from '../core/conformance-fixture.js';
import { createOpenAIResponsesDialect } from './openai-responses-dialect.js';
import { createMemoryResponseStore } from './response-store.js';

interface Item {
  type: string;
  content?: { type: string; text: string }[];
  call_id?: string;
  name?: string;
  arguments?: string;
}
interface Resp {
  status: string;
  output: Item[];
  usage: { input_tokens: number; output_tokens: number } | null;
}

const tool = {
  type: 'function',
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
};

function read(r: Resp): ReadAnswer {
  const calls = r.output.filter((o) => o.type === 'function_call');
  const finish: FinishReason =
    r.status === 'incomplete' ? 'length' : calls.length > 0 ? 'tool_calls' : 'stop';
  return {
    text: r.output
      .filter((o) => o.type === 'message')
      .flatMap((o) => o.content ?? [])
      .map((c) => c.text)
      .join(''),
    toolCalls: calls.map((c) => ({
      id: c.call_id!,
      name: c.name!,
      input: JSON.parse(c.arguments || '{}') as unknown,
    })),
    finish,
    inputTokens: r.usage?.input_tokens ?? 0,
    outputTokens: r.usage?.output_tokens ?? 0,
  };
}

export const openAIResponsesConformance: DialectConformance = {
  dialect: createOpenAIResponsesDialect(createMemoryResponseStore()),
  headers: {},
  textRequest: (stream) => ({
    model: 'm',
    instructions: 'Be brief.',
    input: 'Say hello',
    max_output_tokens: 16,
    ...(stream ? { stream: true } : {}),
  }),
  toolRequest: (stream) => ({
    model: 'm',
    input: [{ role: 'user', content: 'Weather in Paris?' }],
    tools: [tool],
    tool_choice: 'required',
    max_output_tokens: 64,
    ...(stream ? { stream: true } : {}),
  }),
  toolResultRequest: () => ({
    model: 'm',
    tools: [tool],
    max_output_tokens: 64,
    store: false,
    input: [
      { role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] },
      {
        type: 'function_call',
        call_id: 'call_1',
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
      },
      { type: 'function_call_output', call_id: 'call_1', output: 'Sunny' },
    ],
  }),
  unsupported: [
    { body: { model: 'm', input: 'x', reasoning: { effort: 'high' } }, param: 'reasoning' },
    { body: { model: 'm', input: 'x', tools: [{ type: 'web_search' }] }, param: 'tools.0.type' },
    { body: { model: 'm', input: 'x', background: true }, param: 'background' },
    {
      body: { model: 'm', input: [{ type: 'item_reference', id: 'msg_1' }] },
      param: 'input.0.type',
    },
    { body: { model: 'm', input: 'x', truncation: 'auto' }, param: 'truncation' },
  ],
  readResponse: (body) => read(body as Resp),
  readStream(sse) {
    const events = sseEvents(sse);
    let seq = -1;
    let final: Resp | undefined;
    const output: Item[] = [];
    for (const { event, data } of events) {
      const d = data as Record<string, unknown> & { type: string; sequence_number: number };
      if (event !== d.type) throw new Error(`event ${event} carries data of type ${d.type}`);
      if (d.sequence_number !== seq + 1)
        throw new Error(`sequence_number ${d.sequence_number} after ${seq}`);
      seq = d.sequence_number;
      if (d.type === 'response.output_item.added') {
        if (d.output_index !== output.length) throw new Error('output items out of order');
        output.push({ ...(d.item as Item), content: [], arguments: '' });
      } else if (d.type === 'response.output_text.delta') {
        const item = output[d.output_index as number]!;
        item.content![0] ??= { type: 'output_text', text: '' };
        item.content![0].text += d.delta as string;
      } else if (d.type === 'response.function_call_arguments.delta')
        output[d.output_index as number]!.arguments += d.delta as string;
      else if (d.type === 'response.completed' || d.type === 'response.incomplete')
        final = d.response as Resp;
    }
    if (events[0]?.event !== 'response.created' || !final)
      throw new Error('stream must open with response.created and end with the whole response');
    // The deltas add up to what the closing event says.
    const fromDeltas = read({ ...final, output });
    const closing = read(final);
    if (JSON.stringify(fromDeltas) !== JSON.stringify(closing))
      throw new Error(
        `deltas ${JSON.stringify(fromDeltas)} differ from ${JSON.stringify(closing)}`,
      );
    return closing;
  },
  readError(status, body) {
    const b = body as { error: { message: string; param: string | null } };
    return { status, message: b.error.message, ...(b.error.param ? { param: b.error.param } : {}) };
  },
};
