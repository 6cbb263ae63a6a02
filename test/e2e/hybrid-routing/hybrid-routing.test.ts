// Scenario 2, hybrid routing: a team runs a small self-hosted Llama next to closed frontier APIs
// and lets the prompt decide. They kubectl-apply a Model (no tools, 4k context, a GPU price), the
// OpenAI and Anthropic Providers (provider-sims), and the documented example Route
// manifests/examples/route-chat.yaml as is (`strategy: complexity`, threshold 0.45: Llama for
// the simple tier, gpt-5 for the complex tier, gpt-5-mini untiered); then they start
// `bascule-server --roles controller,gateway,api` and talk to it with the official openai SDK.
// (1) The router's own prompt set, simple and hard, half of it streamed: every simple prompt is
//     served by the Model, every hard one by openai/gpt-5; the provider-sim sees exactly the
//     hard ones (request count and input tokens), bodies and usage are sane, and /metrics shows
//     closed-API spend for the hard ones only, at the Provider's list prices.
// (2) A request the Model cannot take (a prompt beyond its context, or tools it lacks) goes to
//     the frontier even though it is simple; `bascule route explain` and the explain API say why.
// (3) A second Route with Anthropic as its complex tier: the Anthropic wire format is translated
//     to OpenAI's, streaming and not.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARD_PROMPTS, SIMPLE_PROMPTS } from '../../../packages/router/src/testing/prompt-set.js';
import { bascule } from '../support/bascule.js';
import {
  hasKubectl,
  llamaOnL4,
  routeDoc,
  startServedStack,
  waitFor,
  type Serve,
  type Stack,
} from '../support/served-stack.js';
import { ask, delta, scrape, total, type Answer } from './gateway-client.js';

const MODEL = 'llama-3-1-8b-instruct';
const ROUTE = 'chat';
const CLAUDE_ROUTE = 'chat-claude';
const CLAUDE = 'anthropic/claude-sonnet-4-5-20250929';
const CONTEXT = 4096;
/** The REST API's bootstrap admin key (the gateway stays open: BASCULE_AUTH=none). */
const ADMIN_KEY = 'bsc-e2e-hybrid-admin-key-000';
const EXAMPLE_ROUTE = readFileSync(
  new URL('../../../manifests/examples/route-chat.yaml', import.meta.url),
  'utf8',
);

/** A plain, simple request that is longer than the Model's context (about 5,000 tokens). */
const LONG_PROMPT = `Summarise these notes in one line. ${'The team meeting moved to Tuesday. '.repeat(600)}`;
const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe.skipIf(!hasKubectl)('scenario 2: hybrid routing by prompt complexity', () => {
  let stack: Stack;
  let serve: Serve;
  let gateway = '';

  beforeAll(async () => {
    ({ stack, serve } = await startServedStack({
      nodes: 'l4:1x1',
      providers: { openai: {}, anthropic: {} },
      adminKey: ADMIN_KEY,
      docs: [
        llamaOnL4(MODEL, {
          maxContextLength: CONTEXT,
          maxConcurrency: 16,
          replicas: 1,
          capabilities: ['chat', 'completions'],
          cost: { gpuHourUSD: 0.71 },
        }),
        EXAMPLE_ROUTE,
        routeDoc(CLAUDE_ROUTE, {
          strategy: 'complexity',
          complexityThreshold: 0.45,
          targets: [
            { model: MODEL, tier: 'simple' },
            { provider: 'anthropic', model: 'claude-sonnet-4-5-20250929', tier: 'complex' },
          ],
        }),
      ],
    }));
    gateway = serve.gateway!;
    await stack.h.kubectl(['wait', '--for=condition=Ready', `model/${MODEL}`, '--timeout=60s']);
    // Ready in Kubernetes; the gateway learns the endpoint through its watch.
    const client = stack.openai(gateway);
    await waitFor(
      'the gateway routes to the Model',
      async () => (await ask(client, ROUTE, 'Hi there!')).target === MODEL,
      60_000,
    );
    stack.sims.openai!.resetStats();
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  const served = (a: Answer, route: string) => {
    expect(a.status).toBe(200);
    expect(a.content.length).toBeGreaterThan(0);
    expect(a.usage.prompt).toBeGreaterThan(0);
    expect(a.usage.completion).toBeGreaterThan(0);
    expect(a.usage.completion).toBeLessThanOrEqual(16);
    expect(a.model.length).toBeGreaterThan(0);
    return route;
  };

  it('simple prompts go to the Model, hard ones to gpt-5; the closed API sees only the hard ones', async () => {
    const metricsBefore = await scrape(serve);
    const client = stack.openai(gateway);
    const simple: Answer[] = [];
    for (const [i, p] of SIMPLE_PROMPTS.entries())
      simple.push(await ask(client, ROUTE, p, { stream: i % 2 === 1 }));
    const hard: Answer[] = [];
    for (const [i, p] of HARD_PROMPTS.entries())
      hard.push(await ask(client, ROUTE, p, { stream: i % 2 === 1 }));

    for (const a of simple) {
      served(a, ROUTE);
      expect({ target: a.target, reason: a.reason }).toEqual({
        target: MODEL,
        reason: 'complexity',
      });
    }
    for (const a of hard) {
      served(a, ROUTE);
      expect({ target: a.target, reason: a.reason }).toEqual({
        target: 'openai/gpt-5',
        reason: 'complexity',
      });
      expect(a.model).toMatch(/^gpt-5/);
    }
    // Exactly the hard prompts reached the closed API: their count and their input tokens.
    const sim = stack.sims.openai!.stats();
    expect(sim.requests).toBe(HARD_PROMPTS.length);
    expect(sim.inputTokens).toBe(hard.reduce((n, a) => n + a.usage.prompt, 0));
    expect(sim.outputTokens).toBe(hard.reduce((n, a) => n + a.usage.completion, 0));
    expect(stack.sims.anthropic!.stats().requests).toBe(0);

    // Metering: closed-API spend only for gpt-5, at its list price ($1.25 in, $10 out per 1M).
    // Deltas over this test (a warm-up probe may have overflowed while the endpoint was new).
    const m = delta(metricsBefore, await scrape(serve));
    const requests = (target: string) =>
      total(m, 'bascule_gateway_requests_total', { route: ROUTE, target, code: '200' });
    expect(requests('openai/gpt-5')).toBe(HARD_PROMPTS.length);
    expect(requests(MODEL)).toBe(SIMPLE_PROMPTS.length);
    expect(total(m, 'bascule_gateway_requests_total', { route: ROUTE })).toBe(
      SIMPLE_PROMPTS.length + HARD_PROMPTS.length,
    );
    const providerCost = m.filter(
      (s) =>
        s.name === 'bascule_gateway_cost_usd_total' && s.labels.kind === 'provider' && s.value > 0,
    );
    expect(providerCost.map((s) => s.labels.target)).toEqual(['openai/gpt-5']);
    const listPrice = hard.reduce(
      (n, a) => n + (a.usage.prompt * 1.25 + a.usage.completion * 10) / 1e6,
      0,
    );
    expect(providerCost[0]!.value).toBeCloseTo(listPrice, 9);
    // The Model's GPU time is metered too, as self-hosted cost, never as provider spend.
    expect(
      total(m, 'bascule_gateway_cost_usd_total', { target: MODEL, kind: 'model' }),
    ).toBeGreaterThan(0);
  }, 120_000);

  it('a simple prompt beyond the Model context goes to the frontier, and explain says why', async () => {
    const before = stack.sims.openai!.stats().requests;
    const a = await ask(stack.openai(gateway), ROUTE, LONG_PROMPT);
    served(a, ROUTE);
    // Untiered gpt-5-mini is the simple tier's next target once Llama is filtered out.
    expect(a.target).toBe('openai/gpt-5-mini');
    expect(a.reason).toBe('overflow:context-length');
    expect(a.usage.prompt).toBeGreaterThan(CONTEXT);
    expect(stack.sims.openai!.stats().requests).toBe(before + 1);

    const r = await bascule(serve.api!, ADMIN_KEY, [
      'route',
      'explain',
      ROUTE,
      '--prompt',
      LONG_PROMPT,
      '-o',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const explained = JSON.parse(r.stdout) as {
      decision: { action: string; target: string };
      request: { complexity: number };
      explanation: {
        targets: { target: string; verdict: string; code?: string; message: string }[];
      };
    };
    expect(explained.decision).toMatchObject({ action: 'send', target: 'openai/gpt-5-mini' });
    expect(explained.request.complexity).toBeLessThan(0.45);
    const llama = explained.explanation.targets.find((t) => t.target === MODEL);
    expect(llama).toMatchObject({ verdict: 'dropped', code: 'context-length' });
    expect(llama!.message).toMatch(
      new RegExp(`${MODEL} holds ${CONTEXT} tokens; the request needs about \\d+`),
    );
  }, 90_000);

  it('a simple prompt with tools the Model lacks goes to the frontier, and explain says why', async () => {
    const before = stack.sims.openai!.stats().requests;
    const prompt = 'What is the weather in Paris?';
    for (const stream of [false, true]) {
      const a = await ask(stack.openai(gateway), ROUTE, prompt, { tools: [WEATHER_TOOL], stream });
      served(a, ROUTE);
      expect(a.target).toBe('openai/gpt-5-mini');
    }
    expect(stack.sims.openai!.stats().requests).toBe(before + 2);
    // Without tools the same prompt stays on the Model.
    expect((await ask(stack.openai(gateway), ROUTE, prompt)).target).toBe(MODEL);

    const res = await fetch(`${serve.api}/api/v1/routes/${ROUTE}/explain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ prompt, tools: [WEATHER_TOOL] }),
    });
    expect(res.status).toBe(200);
    const explained = (await res.json()) as {
      explanation: {
        targets: { target: string; verdict: string; code?: string; message: string }[];
      };
    };
    expect(explained.explanation.targets.find((t) => t.target === MODEL)).toEqual({
      target: MODEL,
      kind: 'model',
      verdict: 'dropped',
      code: 'capability',
      message: `${MODEL} does not serve tools (it serves chat, completions)`,
    });
  }, 90_000);

  it('Anthropic as the complex tier: its wire format comes back as OpenAI chat completions', async () => {
    const client = stack.openai(gateway);
    const openaiBefore = stack.sims.openai!.stats().requests;
    const answers = [
      await ask(client, CLAUDE_ROUTE, HARD_PROMPTS[0]!),
      await ask(client, CLAUDE_ROUTE, HARD_PROMPTS[1]!, { stream: true }),
      await ask(client, CLAUDE_ROUTE, SIMPLE_PROMPTS[1]!),
    ];
    for (const a of answers) served(a, CLAUDE_ROUTE);
    expect(answers.map((a) => a.target)).toEqual([CLAUDE, CLAUDE, MODEL]);
    expect(answers[0]!.model).toMatch(/^claude-sonnet-4-5/);
    const sim = stack.sims.anthropic!.stats();
    expect(sim.requests).toBe(2);
    expect(sim.byPath['/v1/messages']).toBe(2);
    expect(sim.inputTokens).toBe(answers[0]!.usage.prompt + answers[1]!.usage.prompt);
    expect(stack.sims.openai!.stats().requests).toBe(openaiBefore);
  }, 90_000);
});
