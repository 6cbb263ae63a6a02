import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../catalog/routing-catalog.js';
import { model, openai, routes } from '../testing/fixtures.js';
import { createDefaultComplexityScorer } from '../complexity/default-complexity-scorer.js';
import { createHeuristicComplexityScorer } from '../complexity/heuristic-complexity-scorer.js';
import { samplePrompt } from '../complexity/prompt-sample.js';
import { explainRoute } from './explain-route.js';

const base = model('small', { maxConcurrency: 4, capabilities: ['chat', 'completions', 'tools'] });

describe('explainRoute', () => {
  const ready = {
    ...base,
    status: {
      replicas: { desired: 1, ready: 1 },
      endpoints: [{ ip: '10.0.0.1', port: 8000, ready: true }],
    },
  };
  const cold = { ...base, status: { replicas: { desired: 0, ready: 0 }, endpoints: [] } };
  const catalog = (m: typeof ready) =>
    buildCatalog({ models: [m], providers: [openai], routes: [routes.chat, routes.complexity] });
  const prompt = (content: string) => ({ model: 'smart', messages: [{ role: 'user', content }] });

  it('scores the prompt with the given scorer and uses the Models status for capacity', () => {
    const scorer = createHeuristicComplexityScorer();
    const simple = explainRoute({
      catalog: catalog(ready),
      body: prompt('What is the capital of France?'),
      scorer,
    });
    expect(simple.action === 'send' && [simple.target.name, simple.reason]).toEqual([
      'small',
      'complexity',
    ]);
    expect(simple.explanation.complexity).toBeLessThan(0.5);
    const hard = explainRoute({
      catalog: catalog(ready),
      body: prompt('Prove that there are infinitely many primes, then explain why step by step.'),
      scorer,
    });
    expect(hard.action === 'send' && hard.target.name).toBe('openai/gpt-5');
    expect(hard.explanation.targets.find((t) => t.target === 'small')?.code).toBe('tier');
  });

  it('scores with the default (learned) scorer when given none, and the tier follows it', () => {
    const learned = createDefaultComplexityScorer();
    for (const text of ['What is the capital of France?', 'Prove that 2 is the only even prime.']) {
      const d = explainRoute({ catalog: catalog(ready), body: prompt(text) });
      const p = learned.score(samplePrompt([{ role: 'user', content: text }]));
      expect(d.explanation.complexity).toBe(p);
      expect(d.action === 'send' && d.target.name).toBe(p < 0.5 ? 'small' : 'openai/gpt-5');
    }
  });

  it('shows the overflow a cold Model causes, and privacy failing closed', () => {
    const d = explainRoute({
      catalog: catalog(cold),
      body: { model: 'chat', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(d.action === 'send' && d.reason).toBe('overflow:cold-start');
    const p = explainRoute({
      catalog: catalog(cold),
      body: { model: 'chat', messages: [{ role: 'user', content: 'hi' }] },
      privacyStrict: true,
    });
    expect(p.action).toBe('wait');
    expect(p.explanation.targets.map((t) => `${t.target}:${t.verdict}`)).toEqual([
      'openai/gpt-5-mini:dropped',
      'small:waiting',
    ]);
  });
});
