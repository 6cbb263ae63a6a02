// The access log (issue 24), on the observability stack (support/observability-stack.ts):
// requests of every endpoint family and outcome (chat, stream, completions, embeddings,
// /v1/messages, /v1/responses, 401, 400, 404, an overflow, a cancelled stream) each leave exactly
// one access line with their request id, key id, tenant, route, target, reason and status, and no
// line holds the key or any prompt text.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  ADMIN,
  MARK,
  hasKubectl,
  useObservabilityStack,
  type AccessLine,
} from './support/observability-stack.js';

describe.skipIf(!hasKubectl)('observability: access log', () => {
  const obs = useObservabilityStack();

  it('writes exactly one line per request, of every endpoint family and outcome, with no key or prompt text', async () => {
    const { client, key, keyId, serve, accessLines, lineOf } = obs();
    const ids: Record<string, string> = {};
    const msg = (i: string) => [{ role: 'user' as const, content: `${MARK} ${i}: say hi` }];

    const chat = await client.chat.completions
      .create({ model: 'chat', messages: msg('chat'), max_tokens: 8 })
      .withResponse();
    ids.chat = chat.response.headers.get('x-request-id')!;

    const streamed = await client.chat.completions
      .create({ model: 'chat', messages: msg('stream'), max_tokens: 8, stream: true })
      .withResponse();
    for await (const chunk of streamed.data) void chunk;
    ids.stream = streamed.response.headers.get('x-request-id')!;

    const completion = await client.completions
      .create({ model: 'chat', prompt: `${MARK} completion`, max_tokens: 8 })
      .withResponse();
    ids.completion = completion.response.headers.get('x-request-id')!;

    const embedding = await client.embeddings
      .create({ model: 'small', input: `${MARK} embedding` })
      .withResponse();
    ids.embedding = embedding.response.headers.get('x-request-id')!;

    const anthropic = new Anthropic({ baseURL: serve.gateway!, apiKey: key, maxRetries: 0 });
    const message = await anthropic.messages
      .create({ model: 'chat', max_tokens: 8, messages: msg('messages') })
      .withResponse();
    ids.messages = message.response.headers.get('x-request-id')!;

    const response = await client.responses
      .create({ model: 'chat', input: `${MARK} responses`, max_output_tokens: 16 })
      .withResponse();
    ids.responses = response.response.headers.get('x-request-id')!;

    const overflow = await client.chat.completions
      .create({ model: 'cold', messages: msg('overflow'), max_tokens: 8 })
      .withResponse();
    expect(overflow.response.headers.get('x-bascule-route-reason')).toMatch(/^overflow:/);
    ids.overflow = overflow.response.headers.get('x-request-id')!;

    const refused = async (p: Promise<unknown>): Promise<string> => {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(OpenAI.APIError);
      return (err as InstanceType<typeof OpenAI.APIError>).requestID!;
    };
    const badKey = new OpenAI({
      baseURL: `${serve.gateway}/v1`,
      apiKey: 'bsc-wrong',
      maxRetries: 0,
    });
    ids.unauthorized = await refused(
      badKey.chat.completions.create({ model: 'chat', messages: msg('401') }),
    );
    ids.notFound = await refused(
      client.chat.completions.create({ model: 'no-such-route', messages: msg('404') }),
    );
    const bad = await fetch(`${serve.gateway}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: `${MARK} not a list` }),
    });
    expect(bad.status).toBe(400);
    ids.badRequest = bad.headers.get('x-request-id')!;

    // A stream the client walks away from after its first chunk.
    const ctl = new AbortController();
    const cancelled = await client.chat.completions
      .create(
        { model: 'chat', messages: msg('cancel'), max_tokens: 4000, stream: true },
        { signal: ctl.signal },
      )
      .withResponse();
    ids.cancelled = cancelled.response.headers.get('x-request-id')!;
    const it = cancelled.data[Symbol.asyncIterator]();
    await it.next();
    ctl.abort();
    await it.next().catch(() => undefined);

    for (const id of Object.values(ids)) expect(id).toMatch(/^req_[0-9a-f]{24}$/);
    const lines: Record<string, AccessLine> = {};
    for (const [name, id] of Object.entries(ids)) lines[name] = await lineOf(id);

    // A last request: once its line is out, every earlier one is too; nothing is doubled.
    const last = await client.chat.completions
      .create({ model: 'chat', messages: msg('last'), max_tokens: 4 })
      .withResponse();
    await lineOf(last.response.headers.get('x-request-id')!);
    const all = accessLines();
    expect(all).toHaveLength(Object.keys(ids).length + 1);
    expect(new Set(all.map((l) => l.requestId)).size).toBe(all.length);

    for (const name of ['chat', 'stream', 'completion', 'messages', 'responses'])
      expect(lines[name], name).toMatchObject({
        keyId,
        tenant: 'team-obs',
        route: 'chat',
        target: 'small',
        reason: 'priority',
        status: 200,
      });
    expect(lines.chat!.promptTokens).toBeGreaterThan(0);
    expect(lines.chat!.completionTokens).toBeGreaterThan(0);
    expect(lines.stream!.ttftMs).toBeGreaterThan(0);
    expect(lines.stream!.latencyMs).toBeGreaterThanOrEqual(lines.stream!.ttftMs!);
    expect(lines.chat!.endpoint).toBe('/v1/chat/completions');
    expect(lines.completion!.endpoint).toBe('/v1/completions');
    expect(lines.messages!.endpoint).toBe('/v1/messages');
    expect(lines.responses!.endpoint).toBe('/v1/responses');
    expect(lines.embedding).toMatchObject({
      endpoint: '/v1/embeddings',
      status: 200,
      target: 'small',
    });
    expect(lines.overflow).toMatchObject({
      route: 'cold',
      target: 'openai/gpt-5-mini',
      status: 200,
    });
    expect(lines.overflow!.reason).toMatch(/^overflow:/);
    expect(lines.overflow!.costUSD).toBeGreaterThan(0);
    expect(lines.unauthorized).toMatchObject({ keyId: 'anonymous', status: 401, target: 'none' });
    // A name no Route, Model or Provider has is recorded as 'unknown' (a bounded label set).
    expect(lines.notFound).toMatchObject({ keyId, status: 404, route: 'unknown' });
    expect(lines.badRequest).toMatchObject({ keyId, status: 400 });
    // The 200 had gone out before the client left: the line says it was cancelled.
    expect(lines.cancelled).toMatchObject({ keyId, status: 200, target: 'small', cancelled: true });
    expect(lines.cancelled!.completionTokens).toBeLessThan(4000);
    for (const name of Object.keys(ids))
      if (name !== 'cancelled') expect(lines[name]!.cancelled, name).toBeUndefined();

    const text = all.map((l) => JSON.stringify(l)).join('\n');
    expect(text).not.toContain(MARK);
    expect(text).not.toContain(key);
    expect(text).not.toContain('bsc-wrong');
    expect(text).not.toContain(ADMIN);
  });
});
