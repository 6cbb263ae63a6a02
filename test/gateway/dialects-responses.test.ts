// The gateway speaks the OpenAI Responses API (/v1/responses) to the official openai SDK, against
// a self-hosted Model (engine-sim) and each provider-sim: text, streams, function tools and
// stored responses (Redis), with routing headers and metering as for chat completions.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startDialectsStack,
  TARGETS,
  weatherFunction,
  type DialectsStack,
} from './support/dialects-stack.js';

describe('OpenAI Responses through the gateway (openai SDK)', () => {
  let st: DialectsStack;
  beforeAll(async () => {
    st = await startDialectsStack();
  });
  afterAll(async () => {
    await st?.close();
  });

  it.each(TARGETS)('responses.create through %s (%s)', async (route, target, kind) => {
    const { data, response } = await st.openai.responses
      .create({ model: route, instructions: 'Be brief.', input: 'Say hello', store: false })
      .withResponse();
    expect(response.headers.get('x-bascule-target')).toBe(target);
    expect(data.object).toBe('response');
    expect(data.status === 'completed' || data.status === 'incomplete').toBe(true);
    expect(data.output_text.length).toBeGreaterThan(0);
    expect((data as unknown as { store: boolean }).store).toBe(false);
    const rec = st.usage.at(-1)!;
    expect(rec).toMatchObject({ route, target, targetKind: kind, status: 200 });
    expect(rec.promptTokens).toBe(data.usage!.input_tokens);
    expect(rec.completionTokens).toBe(data.usage!.output_tokens);
    expect(data.usage!.total_tokens).toBe(data.usage!.input_tokens + data.usage!.output_tokens);
  });

  it.each(TARGETS)(
    'streams a function call through %s and continues it with previous_response_id',
    async (route, target) => {
      const stream = await st.openai.responses.create({
        model: route,
        input: 'What is the weather in Paris? Use the tool.',
        tools: [weatherFunction],
        tool_choice: 'required',
        stream: true,
      });
      const types: string[] = [];
      let args = '';
      let done: OpenAI.Responses.Response | undefined;
      for await (const e of stream) {
        types.push(e.type);
        if (e.type === 'response.function_call_arguments.delta') args += e.delta;
        if (e.type === 'response.completed') done = e.response;
      }
      expect(types[0]).toBe('response.created');
      expect(types).toContain('response.output_item.added');
      expect(types).toContain('response.function_call_arguments.done');
      expect(types.at(-1)).toBe('response.completed');
      const call = done!.output.find((o) => o.type === 'function_call');
      expect(call?.type === 'function_call' && call.name).toBe('get_weather');
      expect(JSON.parse(args)).toHaveProperty('city');
      expect(call?.type === 'function_call' && call.arguments).toBe(args);
      expect(done!.usage!.output_tokens).toBeGreaterThan(0);
      const rec = st.usage.at(-1)!;
      expect(rec).toMatchObject({ route, target, status: 200 });
      expect(rec.completionTokens).toBe(done!.usage!.output_tokens);

      // The tool's output, continuing the stored response.
      const next = await st.openai.responses.create({
        model: route,
        previous_response_id: done!.id,
        input: [
          {
            type: 'function_call_output',
            call_id: call?.type === 'function_call' ? call.call_id : '',
            output: 'Sunny, 21 C',
          },
        ],
        tools: [weatherFunction],
        tool_choice: 'none',
      });
      expect(next.previous_response_id).toBe(done!.id);
      expect(next.output_text.length).toBeGreaterThan(0);
      // The conversation reached the target: the prompt holds the first turn and the call.
      expect(st.usage.at(-1)!.promptTokens).toBeGreaterThan(rec.promptTokens);
    },
  );

  it('streams text events with output_text deltas in order', async () => {
    const stream = st.openai.responses.stream({ model: 'chat', input: 'Count to five' });
    let text = '';
    stream.on('response.output_text.delta', (e) => (text += e.delta));
    const final = await stream.finalResponse();
    expect(text.length).toBeGreaterThan(0);
    expect(final.output_text).toBe(text);
    expect(final.status === 'completed' || final.status === 'incomplete').toBe(true);
  });

  it("gets and deletes a stored response; another key's is not found", async () => {
    const r = await st.openai.responses.create({ model: 'gpt', input: 'Remember me' });
    expect((r as unknown as { store: boolean }).store).toBe(true);
    const got = await st.openai.responses.retrieve(r.id);
    expect(got.id).toBe(r.id);
    expect(got.output_text).toBe(r.output_text);
    const other = new OpenAI({ baseURL: `${st.gw.url}/v1`, apiKey: st.otherKey, maxRetries: 0 });
    await expect(other.responses.retrieve(r.id)).rejects.toMatchObject({ status: 404 });
    await expect(
      other.responses.create({ model: 'gpt', input: 'x', previous_response_id: r.id }),
    ).rejects.toMatchObject({ status: 404, param: 'previous_response_id' });
    await st.openai.responses.delete(r.id);
    await expect(st.openai.responses.retrieve(r.id)).rejects.toMatchObject({ status: 404 });
  });

  it('refuses hosted tools and unknown fields with a 400 naming the field', async () => {
    const before = st.sims.openai.stats().requests;
    await expect(
      st.openai.responses.create({
        model: 'gpt',
        input: 'search',
        tools: [{ type: 'web_search' }],
      }),
    ).rejects.toMatchObject({ status: 400, param: 'tools.0.type' });
    await expect(
      st.openai.responses.create({ model: 'gpt', input: 'x', reasoning: { effort: 'high' } }),
    ).rejects.toMatchObject({ status: 400, param: 'reasoning' });
    await expect(
      st.openai.responses.create({
        model: 'gpt',
        input: [{ type: 'item_reference', id: 'msg_1' }],
      }),
    ).rejects.toMatchObject({ status: 400, param: 'input.0.type' });
    expect(st.sims.openai.stats().requests).toBe(before);
  });
});
