import type { RunningEngine, RunningProviderSim } from '@bascule/sim';
import { createDefaultComplexityScorer, describeRequest } from '@bascule/router';
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
