// The gateway speaks Anthropic Messages (/v1/messages) and OpenAI Responses (/v1/responses) to
// the official SDKs, against a self-hosted Model (engine-sim) and each provider-sim, with the
// same admission (keys, budgets), routing headers and metering as chat completions.
import Anthropic from '@anthropic-ai/sdk';
import {
  createKeyAuthenticator,
  createRedisClient,
  createRedisKeyStore,
  createRedisResponseStore,
  type KeyAuthenticator,
  type UsageRecord,
} from '@bascule/gateway';
import type { RunningEngine, RunningProviderSim } from '@bascule/sim';
import type { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { waitFor } from '../support/wait-for.js';
import {
  modelResource,
  providerResource,
  routeResource,
  type SimType,
} from './support/fixtures.js';
import {
  startEngine,
  startProviders,
  startTestGateway,
  type TestGateway,
} from './support/harness.js';

const TARGETS = [
  ['chat', 'llama', 'model'],
  ['gpt', 'openai/gpt-5-mini', 'provider'],
  ['claude', 'anthropic/claude-sonnet-4-6', 'provider'],
  ['gemini', 'gemini/gemini-2.5-flash', 'provider'],
] as const;

describe('Anthropic Messages and OpenAI Responses through the gateway', () => {
  let engine: RunningEngine;
  let sims: Record<SimType, RunningProviderSim>;
  let redisServer: RunningRedisServer;
  let redis: Redis;
  let auth: KeyAuthenticator;
  let gw: TestGateway;
  let key: string;
  let otherKey: string;
  let anthropic: Anthropic;
  let openai: OpenAI;
  const usage: UsageRecord[] = [];
  const keys = () => createRedisKeyStore(redis);

  beforeAll(async () => {
    engine = await startEngine({ served: 'llama-8b' });
    sims = await startProviders(['openai', 'anthropic', 'gemini']);
    redisServer = await startRedisServer();
    redis = createRedisClient(redisServer.url);
    auth = createKeyAuthenticator({ redis });
    key = (await keys().create({ name: 'dialects' })).key;
    otherKey = (await keys().create({ name: 'someone-else' })).key;
    gw = await startTestGateway({
      models: [modelResource('llama', { servedNames: ['llama-8b'] })],
      providers: [
        providerResource('openai', 'openai', sims.openai.url, ['gpt-5-mini']),
        providerResource('anthropic', 'anthropic', sims.anthropic.url, ['claude-sonnet-4-6']),
        providerResource('gemini', 'gemini', sims.gemini.url, ['gemini-2.5-flash']),
      ],
      routes: [
        routeResource('chat', { targets: [{ model: 'llama' }] }),
        routeResource('gpt', { targets: [{ provider: 'openai', model: 'gpt-5-mini' }] }),
        routeResource('claude', {
          targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-6' }],
        }),
        routeResource('gemini', { targets: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] }),
        routeResource('capped', {
          targets: [{ provider: 'openai', model: 'gpt-5-mini' }],
          budgets: { dailyUSD: 0.000001, onExceeded: 'reject' },
        }),
      ],
      endpoints: { llama: [engine] },
      extra: {
        authenticate: auth.authenticate,
        responseStore: createRedisResponseStore({ redis }),
        onUsage: (r) => {
          usage.push(r);
          auth.settle(r);
        },
      },
    });
    anthropic = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 });
    openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 });
  });
  afterAll(async () => {
    await gw?.close();
    redis?.disconnect();
    await redisServer?.stop();
    await engine?.close();
    for (const s of Object.values(sims ?? {})) await s.close();
  });

  const weatherTool: Anthropic.Tool = {
    name: 'get_weather',
    description: 'Weather for a city',
    input_schema: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
    },
  };
  const weatherFunction: OpenAI.Responses.FunctionTool = {
    type: 'function',
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
    },
    strict: false,
  };

  describe('@anthropic-ai/sdk', () => {
    it.each(TARGETS)(
      'messages.create through %s (%s), metered and routed as chat',
      async (route, target, kind) => {
        const { data, response } = await anthropic.messages
          .create({
            model: route,
            max_tokens: 32,
            system: 'Be brief.',
            messages: [{ role: 'user', content: 'Say hello' }],
          })
          .withResponse();
        expect(response.headers.get('x-bascule-target')).toBe(target);
        expect(response.headers.get('x-bascule-route-reason')).toBe('priority');
        expect(response.headers.get('request-id')).toMatch(/^req_/);
        expect(data.type).toBe('message');
        expect(data.role).toBe('assistant');
        const text = data.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
        expect(text.length).toBeGreaterThan(0);
        expect(['end_turn', 'max_tokens']).toContain(data.stop_reason);
        expect(data.usage.input_tokens).toBeGreaterThan(0);
        const rec = usage.at(-1)!;
        expect(rec).toMatchObject({ route, target, targetKind: kind, status: 200 });
        expect(rec.promptTokens).toBe(data.usage.input_tokens);
        expect(rec.completionTokens).toBe(data.usage.output_tokens);
        expect(rec.costUSD).toBeGreaterThan(0);
        expect(rec.key).toBeDefined();
      },
    );

    it.each(TARGETS)(
      'messages.stream with a tool through %s: tool_use with input_json deltas, then the result',
      async (route, target) => {
        const stream = anthropic.messages.stream({
          model: route,
          max_tokens: 128,
          tools: [weatherTool],
          tool_choice: { type: 'any' },
          messages: [{ role: 'user', content: 'What is the weather in Paris? Use the tool.' }],
        });
        const types: string[] = [];
        let json = '';
        stream.on('streamEvent', (e) => {
          types.push(e.type);
          if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta')
            json += e.delta.partial_json;
        });
        const msg = await stream.finalMessage();
        const res = (await stream.withResponse()).response;
        expect(res.headers.get('x-bascule-target')).toBe(target);
        expect(types[0]).toBe('message_start');
        expect(types).toContain('content_block_start');
        expect(types).toContain('content_block_stop');
        expect(types.at(-2)).toBe('message_delta');
        expect(types.at(-1)).toBe('message_stop');
        expect(msg.stop_reason).toBe('tool_use');
        const use = msg.content.find((b) => b.type === 'tool_use');
        expect(use?.type === 'tool_use' && use.name).toBe('get_weather');
        expect(use?.type === 'tool_use' && use.input).toHaveProperty('city');
        expect(JSON.parse(json)).toEqual(use?.type === 'tool_use' ? use.input : null);
        expect(msg.usage.output_tokens).toBeGreaterThan(0);
        const rec = usage.at(-1)!;
        expect(rec).toMatchObject({ route, target, status: 200 });
        expect(rec.completionTokens).toBe(msg.usage.output_tokens);
        expect(rec.ttftMs).toBeGreaterThan(0);

        // The round trip: the tool's result goes back as a tool_result block.
        const next = await anthropic.messages.create({
          model: route,
          max_tokens: 32,
          tools: [weatherTool],
          messages: [
            { role: 'user', content: 'What is the weather in Paris? Use the tool.' },
            { role: 'assistant', content: msg.content },
            {
              role: 'user',
              content: [
                {
                  type: 'tool_result',
                  tool_use_id: use?.type === 'tool_use' ? use.id : '',
                  content: 'Sunny, 21 C',
                },
              ],
            },
          ],
        });
        expect(next.type).toBe('message');
        expect(next.content.length).toBeGreaterThan(0);
        expect(usage.at(-1)).toMatchObject({ route, status: 200 });
      },
    );

    it('passes a request to an Anthropic Provider through untranslated, whole and streamed', async () => {
      const before = sims.anthropic.stats().requests;
      const { data, response } = await anthropic.messages
        .create({
          model: 'claude',
          max_tokens: 64,
          tools: [weatherTool],
          tool_choice: { type: 'auto' },
          messages: [
            {
              role: 'user',
              content: [
                {
                  type: 'text',
                  text: 'What is the weather in Paris? Use the tool.',
                  cache_control: { type: 'ephemeral' },
                },
              ],
            },
          ],
        })
        .withResponse();
      expect(response.headers.get('x-bascule-target')).toBe('anthropic/claude-sonnet-4-6');
      // Anthropic's own answer: the simulator's message id (msg_01...), which a translation
      // through chat replaces with the gateway's own (msg_ and hex).
      expect(data.id).toMatch(/^msg_01/);
      expect(data.content.map((b) => b.type)).toEqual(['text', 'tool_use']);
      expect(sims.anthropic.stats().requests).toBe(before + 1);
      expect(usage.at(-1)).toMatchObject({
        route: 'claude',
        status: 200,
        promptTokens: data.usage.input_tokens,
        completionTokens: data.usage.output_tokens,
      });

      const stream = anthropic.messages.stream({
        model: 'claude',
        max_tokens: 64,
        tools: [weatherTool],
        tool_choice: { type: 'auto' },
        messages: [{ role: 'user', content: 'What is the weather in Paris? Use the tool.' }],
      });
      const msg = await stream.finalMessage();
      expect(msg.id).toMatch(/^msg_01/);
      expect(msg.content.map((b) => b.type)).toEqual(['text', 'tool_use']);
      expect(usage.at(-1)).toMatchObject({
        route: 'claude',
        status: 200,
        completionTokens: msg.usage.output_tokens,
      });
      expect(usage.at(-1)!.promptTokens).toBeGreaterThan(0);
    });

    it('counts tokens (an estimate that grows with the prompt)', async () => {
      const short = await anthropic.messages.countTokens({
        model: 'claude',
        messages: [{ role: 'user', content: 'hi' }],
      });
      const long = await anthropic.messages.countTokens({
        model: 'claude',
        system: 'You are a weather assistant.',
        tools: [weatherTool],
        messages: [{ role: 'user', content: 'What is the weather in Paris? '.repeat(20) }],
      });
      expect(short.input_tokens).toBeGreaterThan(0);
      expect(long.input_tokens).toBeGreaterThan(short.input_tokens + 100);
    });

    it('refuses a field it cannot carry with a 400 naming it, in Anthropic error shape', async () => {
      const before = sims.anthropic.stats().requests;
      const err = await anthropic.messages
        .create({
          model: 'claude',
          max_tokens: 16,
          service_tier: 'auto',
          messages: [{ role: 'user', content: 'hi' }],
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.BadRequestError);
      const e = err as InstanceType<typeof Anthropic.BadRequestError>;
      expect(e.status).toBe(400);
      expect(e.error).toMatchObject({
        type: 'error',
        error: { type: 'invalid_request_error', param: 'service_tier' },
      });
      expect(e.message).toContain('service_tier');
      expect(sims.anthropic.stats().requests).toBe(before);

      const thinking = await anthropic.messages
        .create({
          model: 'chat',
          max_tokens: 16,
          thinking: { type: 'enabled', budget_tokens: 1024 },
          messages: [{ role: 'user', content: 'hi' }],
        })
        .catch((x: unknown) => x as InstanceType<typeof Anthropic.APIError>);
      expect(thinking).toMatchObject({ status: 400 });
      expect((thinking as Error).message).toContain('thinking');
    });

    it('answers a request the target cannot serve with a 400 in Anthropic shape', async () => {
      const err = await anthropic.messages
        .create({ model: 'chat', max_tokens: 9000, messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.BadRequestError);
      expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
        type: 'error',
        error: { type: 'invalid_request_error' },
      });
      expect(usage.at(-1)).toMatchObject({ route: 'chat', status: 400, costUSD: 0 });
    });

    it('authenticates with x-api-key and refuses a bad key with a 401 authentication_error', async () => {
      const bad = new Anthropic({ baseURL: gw.url, apiKey: 'bsc-not-a-key', maxRetries: 0 });
      const err = await bad.messages
        .create({ model: 'chat', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
      expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
        error: { type: 'authentication_error' },
      });
    });
  });

  describe('openai SDK, Responses API', () => {
    it.each(TARGETS)('responses.create through %s (%s)', async (route, target, kind) => {
      const { data, response } = await openai.responses
        .create({ model: route, instructions: 'Be brief.', input: 'Say hello', store: false })
        .withResponse();
      expect(response.headers.get('x-bascule-target')).toBe(target);
      expect(data.object).toBe('response');
      expect(data.status === 'completed' || data.status === 'incomplete').toBe(true);
      expect(data.output_text.length).toBeGreaterThan(0);
      expect((data as unknown as { store: boolean }).store).toBe(false);
      const rec = usage.at(-1)!;
      expect(rec).toMatchObject({ route, target, targetKind: kind, status: 200 });
      expect(rec.promptTokens).toBe(data.usage!.input_tokens);
      expect(rec.completionTokens).toBe(data.usage!.output_tokens);
      expect(data.usage!.total_tokens).toBe(data.usage!.input_tokens + data.usage!.output_tokens);
    });

    it.each(TARGETS)(
      'streams a function call through %s and continues it with previous_response_id',
      async (route, target) => {
        const stream = await openai.responses.create({
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
        const rec = usage.at(-1)!;
        expect(rec).toMatchObject({ route, target, status: 200 });
        expect(rec.completionTokens).toBe(done!.usage!.output_tokens);

        // The tool's output, continuing the stored response.
        const next = await openai.responses.create({
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
        expect(usage.at(-1)!.promptTokens).toBeGreaterThan(rec.promptTokens);
      },
    );

    it('streams text events with output_text deltas in order', async () => {
      const stream = openai.responses.stream({ model: 'chat', input: 'Count to five' });
      let text = '';
      stream.on('response.output_text.delta', (e) => (text += e.delta));
      const final = await stream.finalResponse();
      expect(text.length).toBeGreaterThan(0);
      expect(final.output_text).toBe(text);
      expect(final.status === 'completed' || final.status === 'incomplete').toBe(true);
    });

    it("gets and deletes a stored response; another key's is not found", async () => {
      const r = await openai.responses.create({ model: 'gpt', input: 'Remember me' });
      expect((r as unknown as { store: boolean }).store).toBe(true);
      const got = await openai.responses.retrieve(r.id);
      expect(got.id).toBe(r.id);
      expect(got.output_text).toBe(r.output_text);
      const other = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: otherKey, maxRetries: 0 });
      await expect(other.responses.retrieve(r.id)).rejects.toMatchObject({ status: 404 });
      await expect(
        other.responses.create({ model: 'gpt', input: 'x', previous_response_id: r.id }),
      ).rejects.toMatchObject({ status: 404, param: 'previous_response_id' });
      await openai.responses.delete(r.id);
      await expect(openai.responses.retrieve(r.id)).rejects.toMatchObject({ status: 404 });
    });

    it('refuses hosted tools and unknown fields with a 400 naming the field', async () => {
      const before = sims.openai.stats().requests;
      await expect(
        openai.responses.create({
          model: 'gpt',
          input: 'search',
          tools: [{ type: 'web_search' }],
        }),
      ).rejects.toMatchObject({ status: 400, param: 'tools.0.type' });
      await expect(
        openai.responses.create({ model: 'gpt', input: 'x', reasoning: { effort: 'high' } }),
      ).rejects.toMatchObject({ status: 400, param: 'reasoning' });
      await expect(
        openai.responses.create({
          model: 'gpt',
          input: [{ type: 'item_reference', id: 'msg_1' }],
        }),
      ).rejects.toMatchObject({ status: 400, param: 'input.0.type' });
      expect(sims.openai.stats().requests).toBe(before);
    });
  });

  describe('budgets, as for chat completions', () => {
    it('a Route over its budget refuses both dialects with 429 (Anthropic and OpenAI shapes)', async () => {
      await openai.responses.create({ model: 'capped', input: 'spend', store: false });
      await waitFor(
        'the Route spend',
        async () => {
          const r = await anthropic.messages
            .create({ model: 'capped', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
            .then(
              () => 200,
              (e: unknown) => (e as { status?: number }).status,
            );
          return r === 429;
        },
        10_000,
      );
      const a = await anthropic.messages
        .create({ model: 'capped', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e as InstanceType<typeof Anthropic.APIError>);
      expect(a).toBeInstanceOf(Anthropic.RateLimitError);
      expect((a as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
        type: 'error',
        error: { type: 'rate_limit_error', code: 'route_budget_exceeded' },
      });
      await expect(
        openai.responses.create({ model: 'capped', input: 'x', store: false }),
      ).rejects.toMatchObject({ status: 429, code: 'route_budget_exceeded' });
    });

    it('a key over its budget gets 402 from both dialects, and the refusal is metered to the key', async () => {
      const spent = await keys().create({
        name: 'tiny-budget',
        budget: { usd: 0.000001, period: 'day' },
      });
      const a = new Anthropic({ baseURL: gw.url, apiKey: spent.key, maxRetries: 0 });
      const o = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: spent.key, maxRetries: 0 });
      await a.messages.create({
        model: 'gpt',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'spend it' }],
      });
      await auth.drain();
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
      const refused = usage.filter((r) => r.key === spent.info.id && r.status === 402);
      expect(refused.length).toBe(2);
      expect(refused.every((r) => r.refused === true && r.costUSD === 0)).toBe(true);
    });
  });
});
