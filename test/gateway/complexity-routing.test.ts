import type { RunningEngine } from '@bascule/engine-sim';
import type { RunningProviderSim } from '@bascule/provider-sim';
import {
  createDefaultComplexityScorer,
  createHeuristicComplexityScorer,
  describeRequest,
  samplePrompt,
} from '@bascule/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARD_PROMPTS, SIMPLE_PROMPTS } from '../../packages/router/src/testing/prompt-set.js';
import { modelResource, providerResource, routeResource } from './support/fixtures.js';
import {
  startEngine,
  startProviders,
  startTestGateway,
  type TestGateway,
} from './support/harness.js';

// A complexity Route: simple prompts to the small self-hosted model, hard ones to the frontier.
describe('complexity routing', () => {
  let engine: RunningEngine;
  let openai: RunningProviderSim;
  let gw: TestGateway;

  beforeAll(async () => {
    engine = await startEngine({ served: 'small' });
    openai = (await startProviders(['openai'])).openai;
    gw = await startTestGateway({
      models: [modelResource('small', { servedNames: ['small'], maxConcurrency: 64 })],
      providers: [providerResource('openai', 'openai', openai.url, ['gpt-5', 'gpt-5-mini'])],
      routes: [
        routeResource('smart', {
          strategy: 'complexity',
          complexityThreshold: 0.5,
          targets: [
            { model: 'small', tier: 'simple' },
            { provider: 'openai', model: 'gpt-5', tier: 'complex' },
            { provider: 'openai', model: 'gpt-5-mini' },
          ],
        }),
      ],
      endpoints: { small: [engine] },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await engine?.close();
    await openai?.close();
  });

  const targetOf = async (content: string) => {
    const { response } = await gw.client.chat.completions
      .create({ model: 'smart', messages: [{ role: 'user', content }], max_tokens: 4 })
      .withResponse();
    expect(response.headers.get('x-bascule-route-reason')).toBe('complexity');
    return response.headers.get('x-bascule-target');
  };

  // The default (learned) scorer decides; the expected tier of each prompt comes from its score
  // through the same describeRequest path, so this tests the routing, not one model's weights.
  const scorer = createDefaultComplexityScorer();
  const expected = (content: string) => {
    const { request } = describeRequest(
      { model: 'smart', messages: [{ role: 'user', content }] },
      { kind: 'chat', scorer },
    );
    return request.complexity! < 0.5 ? 'small' : 'openai/gpt-5';
  };
  const prompts = [...SIMPLE_PROMPTS, ...HARD_PROMPTS];

  it('sends prompts scoring below the threshold to the small model, the rest to the frontier', async () => {
    const strong = prompts.filter((p) => expected(p) === 'openai/gpt-5');
    // Both tiers are exercised by the prompt set.
    expect(strong.length).toBeGreaterThan(0);
    expect(strong.length).toBeLessThan(prompts.length);
    for (const p of prompts) expect([p, await targetOf(p)]).toEqual([p, expected(p)]);
    expect(openai.stats().requests).toBe(strong.length);
  });
});

// A server configured with the heuristic scorer (BASCULE_COMPLEXITY_SCORER=heuristic): a Route
// with a fixed threshold keeps it, a Route calibrated by share scores with the learned prior.
describe('which scorer a Route scores with', () => {
  let engine: RunningEngine;
  let gw: TestGateway;
  const targets = [
    { model: 'small', tier: 'simple' as const },
    { model: 'big', tier: 'complex' as const },
  ];

  beforeAll(async () => {
    engine = await startEngine({ served: 'small' });
    gw = await startTestGateway({
      models: [
        modelResource('small', { servedNames: ['small'], maxConcurrency: 64 }),
        modelResource('big', { servedNames: ['small'], maxConcurrency: 64 }),
      ],
      routes: [
        routeResource('fixed', { strategy: 'complexity', complexityThreshold: 0.5, targets }),
        routeResource('shared', {
          strategy: 'complexity',
          complexity: { strongShare: 0.3 },
          targets,
        }),
      ],
      endpoints: { small: [engine], big: [engine] },
      extra: { scorer: createHeuristicComplexityScorer() },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await engine?.close();
  });

  it('fixed threshold: the configured scorer; strongShare: the learned scorer', async () => {
    const scoreOf = async (route: string, content: string) => {
      const { response } = await gw.client.chat.completions
        .create({ model: route, messages: [{ role: 'user', content }], max_tokens: 2 })
        .withResponse();
      return Number(response.headers.get('x-bascule-complexity'));
    };
    const heuristic = createHeuristicComplexityScorer();
    const learned = createDefaultComplexityScorer();
    let differ = 0;
    for (const p of [...SIMPLE_PROMPTS.slice(0, 4), ...HARD_PROMPTS.slice(0, 4)]) {
      const h = heuristic.score(samplePrompt([{ role: 'user', content: p }]));
      const l = learned.score(samplePrompt([{ role: 'user', content: p }]));
      expect(await scoreOf('fixed', p)).toBeCloseTo(h, 3);
      expect(await scoreOf('shared', p)).toBeCloseTo(l, 3);
      if (Math.abs(h - l) > 0.01) differ++;
    }
    // The two scorers disagree on these prompts, so the headers tell them apart.
    expect(differ).toBeGreaterThan(4);
  });
});
