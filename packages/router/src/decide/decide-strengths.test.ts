import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../catalog/routing-catalog.js';
import { createHeuristicComplexityScorer } from '../complexity/heuristic-complexity-scorer.js';
import { describeRequest, type RequestBodyLike } from '../request/describe-request.js';
import { big, HEALTHY, model, openai, route, SATURATED, small } from '../testing/fixtures.js';
import { decideRoute } from './decide-route.js';

// A Route whose targets say what they are good at, over the complexity strategy's tiers.
const qwen = model('qwen', { capabilities: ['chat'] });
const mistral = model('mistral', { capabilities: ['chat'] });
const polyglot = route('polyglot', {
  strategy: 'complexity',
  complexityThreshold: 0.5,
  targets: [
    { model: 'small', tier: 'simple' },
    {
      provider: 'openai',
      model: 'gpt-5',
      tier: 'complex',
      strengths: ['tools', 'structured-output'],
    },
    { model: 'qwen', strengths: ['zh', 'code'] },
    { model: 'mistral', tier: 'simple', strengths: ['fr', 'de'] },
  ],
});
const plain = route('plain', {
  targets: [{ model: 'small' }, { provider: 'openai', model: 'gpt-5-mini' }],
});
const catalog = buildCatalog({
  models: [small, big, qwen, mistral],
  providers: [openai],
  routes: [polyglot, plain],
});
const scorer = createHeuristicComplexityScorer();

function decide(
  body: Omit<RequestBodyLike, 'model'> & { model?: string },
  caps = {},
  threshold?: Parameters<typeof decideRoute>[0]['threshold'],
) {
  const { request } = describeRequest(
    { model: 'polyglot', ...body },
    { kind: 'chat', scorer, detectTraits: true },
  );
  return decideRoute({
    catalog,
    request,
    capacity: (m) => (caps as Record<string, typeof HEALTHY>)[m] ?? HEALTHY,
    ...(threshold ? { threshold } : {}),
  });
}
const say = (content: string) => ({ messages: [{ role: 'user', content }] });
const WEATHER = { type: 'function', function: { name: 'weather', parameters: {} } };

describe('strengths before difficulty', () => {
  it.each([
    ['法国的首都是哪里？', 'qwen', 'strength:zh'],
    ['Quelle est la capitale de la France ?', 'mistral', 'strength:fr'],
    ['Write a Python function: ```python\ndef f(x):\n    return x\n```', 'qwen', 'strength:code'],
    ['What is the capital of Peru?', 'small', 'complexity'],
  ])('%s -> %s (%s)', (prompt, target, reason) => {
    const d = decide(say(prompt));
    expect(d.action === 'send' && [d.target.name, d.reason]).toEqual([target, reason]);
  });

  it('a match overrides the tier: a hard Chinese proof goes to Qwen, not to the complex tier', () => {
    const d = decide(
      say(
        '证明：存在无穷多个素数，然后一步一步解释为什么同样的论证不适用于 n^2 + 1 形式的素数，并推导相关公式。',
      ),
    );
    expect(d.action === 'send' && d.target.name).toBe('qwen');
    expect(d.explanation.strength).toEqual({ target: 'qwen', strength: 'zh', matched: ['zh'] });
  });

  it('also overrides a tier refusal: a hard French prompt goes to the simple-tier Mistral', () => {
    const low = { value: 0.01, tieShare: 1, source: 'fixed' as const };
    const d = decide(say('Explique pourquoi le ciel est bleu, étape par étape.'), {}, low);
    expect(d.explanation.tier).toBe('complex');
    expect(d.action === 'send' && [d.target.name, d.reason]).toEqual(['mistral', 'strength:fr']);
    // Without the strength the simple-tier Mistral would have been refused.
    const en = decide(say('Explain why the sky is blue, step by step.'), {}, low);
    expect(en.explanation.targets.find((t) => t.target === 'mistral')?.code).toBe('tier');
  });

  it('tools outweigh code and language; structured output comes from response_format', () => {
    const tools = decide({ ...say('用 Python 查一下巴黎的天气'), tools: [WEATHER] });
    expect(tools.action === 'send' && [tools.target.name, tools.reason]).toEqual([
      'openai/gpt-5',
      'strength:tools',
    ]);
    expect(tools.explanation.detected).toEqual({ language: 'zh', tasks: ['tools'] });
    // Qwen cannot call tools: the capability filter dropped it before strengths were weighed.
    expect(tools.explanation.targets.find((t) => t.target === 'qwen')?.code).toBe('capability');
    const json = decide({ ...say('List three fruits.'), response_format: { type: 'json_object' } });
    expect(json.action === 'send' && json.reason).toBe('strength:structured-output');
  });

  it('a matching target without capacity overflows down the ranking as usual', () => {
    const d = decide(say('法国的首都是哪里？'), { qwen: SATURATED });
    expect(d.action === 'send' && [d.target.name, d.reason]).toEqual([
      'small',
      'overflow:saturated',
    ]);
    expect(d.explanation.targets[0]).toMatchObject({ target: 'qwen', verdict: 'overflowed' });
  });

  it('explains what was detected, and leaves Routes without strengths alone', () => {
    const d = decide(say('Quelle est la capitale de la France ?'));
    expect(d.explanation.detected).toEqual({ language: 'fr', tasks: [] });
    const chosen = d.explanation.targets.find((t) => t.verdict === 'chosen')!;
    expect(chosen.message).toBe('strength fr: preferred before difficulty');
    const { request } = describeRequest(
      { model: 'plain', ...say('法国的首都是哪里？') },
      { kind: 'chat', detectTraits: true },
    );
    const p = decideRoute({ catalog, request, capacity: () => HEALTHY });
    expect(p.action === 'send' && p.reason).toBe('priority');
    expect(p.explanation.detected).toBeUndefined();
    expect(p.explanation.strength).toBeUndefined();
  });
});

describe('calibrated complexity threshold', () => {
  const calibrated = route('calibrated', {
    strategy: 'complexity',
    complexity: { strongShare: 0.3 },
    targets: [
      { model: 'small', tier: 'simple' },
      { provider: 'openai', model: 'gpt-5', tier: 'complex' },
    ],
  });
  const cat = buildCatalog({ models: [small], providers: [openai], routes: [calibrated] });
  const at = (
    complexity: number,
    tieKey: number,
    threshold?: Parameters<typeof decideRoute>[0]['threshold'],
  ) =>
    decideRoute({
      catalog: cat,
      request: { model: 'calibrated', kind: 'chat', promptTokens: 10, complexity, tieKey },
      capacity: () => HEALTHY,
      ...(threshold ? { threshold } : {}),
    });

  it('uses the threshold in force the gateway passes, and says so', () => {
    const t = {
      value: 0.2,
      tieShare: 1,
      source: 'share' as const,
      samples: 2000,
      targetShare: 0.3,
    };
    const d = at(0.25, 0.5, t);
    expect(d.action === 'send' && d.target.name).toBe('openai/gpt-5');
    expect(d.explanation).toMatchObject({ threshold: t, tier: 'complex', complexity: 0.25 });
    expect(d.explanation.targets.find((v) => v.target === 'small')?.message).toBe(
      'complexity 0.25 >= threshold 0.2 (strongShare: 30.0 % of 2000 recent scores): small is a simple-tier target',
    );
  });

  it('splits a tie at the threshold by the tie key', () => {
    const t = { value: 0.4, tieShare: 0.25, source: 'share' as const, samples: 100 };
    expect(at(0.4, 0.1, t).explanation.tier).toBe('complex');
    expect(at(0.4, 0.9, t).explanation.tier).toBe('simple');
  });

  it('without the gateway it warms up on complexityThreshold', () => {
    const d = at(0.6, 0.5);
    expect(d.explanation.threshold).toEqual({
      value: 0.5,
      tieShare: 1,
      source: 'warm-up',
      samples: 0,
    });
    expect(d.explanation.tier).toBe('complex');
    expect(big.metadata.name).toBe('big');
  });
});
