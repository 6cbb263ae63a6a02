// Route budgets (429) and key budgets (402) refuse Anthropic Messages and OpenAI Responses
// requests exactly as chat completions, each in its dialect's error shape.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@bascule/test-support';
import { startDialectsStack, type DialectsStack } from './support/dialects-stack.js';

describe('budgets in both dialects, as for chat completions', () => {
  let st: DialectsStack;
  beforeAll(async () => {
    st = await startDialectsStack();
  });
  afterAll(async () => {
    await st?.close();
  });

  it('a Route over its budget refuses both dialects with 429 (Anthropic and OpenAI shapes)', async () => {
    await st.openai.responses.create({ model: 'capped', input: 'spend', store: false });
    await waitFor(
      'the Route spend',
      async () => {
        const r = await st.anthropic.messages
          .create({ model: 'capped', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
          .then(
            () => 200,
            (e: unknown) => (e as { status?: number }).status,
          );
        return r === 429;
      },
      10_000,
    );
    const a = await st.anthropic.messages
      .create({ model: 'capped', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e as InstanceType<typeof Anthropic.APIError>);
    expect(a).toBeInstanceOf(Anthropic.RateLimitError);
    expect((a as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error', code: 'route_budget_exceeded' },
    });
    await expect(
      st.openai.responses.create({ model: 'capped', input: 'x', store: false }),
    ).rejects.toMatchObject({ status: 429, code: 'route_budget_exceeded' });
  });

  it('a key over its budget gets 402 from both dialects, and the refusal is metered to the key', async () => {
    const spent = await st.keys.create({
      name: 'tiny-budget',
      budget: { usd: 0.000001, period: 'day' },
    });
    const a = new Anthropic({ baseURL: st.gw.url, apiKey: spent.key, maxRetries: 0 });
    const o = new OpenAI({ baseURL: `${st.gw.url}/v1`, apiKey: spent.key, maxRetries: 0 });
    await a.messages.create({
      model: 'gpt',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'spend it' }],
    });
    await st.auth.drain();
    const err = await a.messages
      .create({ model: 'gpt', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e as InstanceType<typeof Anthropic.APIError>);
    expect(err).toMatchObject({ status: 402 });
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'billing_error', code: 'budget_exceeded' },
    });
    await expect(o.responses.create({ model: 'gpt', input: 'x' })).rejects.toMatchObject({
      status: 402,
      code: 'budget_exceeded',
    });
    const refused = st.usage.filter((r) => r.key === spent.info.id && r.status === 402);
    expect(refused.length).toBe(2);
    expect(refused.every((r) => r.refused === true && r.costUSD === 0)).toBe(true);
  });
});
