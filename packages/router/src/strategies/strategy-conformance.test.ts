import { describe, expect, it } from 'vitest';
import type { RoutingRequest } from '../request/routing-request.js';
import type { Target } from '../targets/target.js';
import { big, openai, routes, small } from '../testing/fixtures.js';
import { STRATEGIES } from './strategies.js';

// One suite, every strategy: the contract decideRoute relies on.
const targets: Target[] = [
  { kind: 'model', name: 'small', model: small, tier: 'simple' },
  {
    kind: 'provider',
    name: 'openai/gpt-5',
    provider: openai,
    providerModel: openai.spec.models[0]!,
    tier: 'complex',
  },
  { kind: 'model', name: 'big', model: big },
  {
    kind: 'provider',
    name: 'openai/gpt-5-mini',
    provider: openai,
    providerModel: openai.spec.models[1]!,
  },
];
const requests: RoutingRequest[] = [0, 0.3, 0.5, 0.7, 1].flatMap((complexity) =>
  [10, 5000].map((promptTokens) => ({
    model: 'smart',
    kind: 'chat' as const,
    promptTokens,
    complexity,
  })),
);

describe.each(Object.values(STRATEGIES))('strategy $name (conformance)', (strategy) => {
  const ctx = (request: RoutingRequest) => ({ request, route: routes.complexity });

  it('ranks or drops every target exactly once, never inventing one', () => {
    for (const r of requests) {
      const { ranked, dropped } = strategy.rank(targets, ctx(r));
      const names = [...ranked.map((s) => s.target.name), ...dropped.map((d) => d.target)].sort();
      expect(names).toEqual(targets.map((t) => t.name).sort());
    }
  });

  it('scores in [0,1], best first', () => {
    for (const r of requests) {
      const { ranked } = strategy.rank(targets, ctx(r));
      for (const s of ranked) {
        expect(s.score).toBeGreaterThanOrEqual(0);
        expect(s.score).toBeLessThanOrEqual(1);
      }
      for (let i = 1; i < ranked.length; i++)
        expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(ranked[i]!.score);
    }
  });

  it('is deterministic and does not mutate its input', () => {
    const copy = [...targets];
    for (const r of requests) {
      const a = strategy.rank(targets, ctx(r));
      const b = strategy.rank(targets, ctx(r));
      expect(a.ranked.map((s) => [s.target.name, s.score])).toEqual(
        b.ranked.map((s) => [s.target.name, s.score]),
      );
    }
    expect(targets).toEqual(copy);
  });

  it('handles no targets and one target', () => {
    expect(strategy.rank([], ctx(requests[0]!)).ranked).toEqual([]);
    const one = strategy.rank([targets[2]!], ctx(requests[0]!));
    expect(one.ranked.map((s) => s.target.name)).toEqual(['big']);
  });
});

describe('strategies', () => {
  const r = (complexity: number): RoutingRequest => ({
    model: 'x',
    kind: 'chat',
    promptTokens: 1000,
    complexity,
  });
  it('priority keeps the Route order', () => {
    expect(
      STRATEGIES.priority
        .rank(targets, { request: r(0), route: undefined })
        .ranked.map((s) => s.target.name),
    ).toEqual(['small', 'openai/gpt-5', 'big', 'openai/gpt-5-mini']);
  });
  it('cost orders by expected cost', () => {
    const names = STRATEGIES.cost
      .rank(targets, { request: r(0), route: undefined })
      .ranked.map((s) => s.target.name);
    // small: 0.7 $/h for ~0.6 s; big: 8 $/h; gpt-5-mini: 0.25/2 per 1M; gpt-5: 1.25/10 per 1M.
    expect(names).toEqual(['small', 'openai/gpt-5-mini', 'big', 'openai/gpt-5']);
  });
  it('complexity splits tiers at the threshold', () => {
    const at = (c: number) =>
      STRATEGIES.complexity
        .rank(targets, { request: r(c), route: routes.complexity })
        .ranked.map((s) => s.target.name);
    expect(at(0.49)).toEqual(['small', 'big', 'openai/gpt-5-mini', 'openai/gpt-5']);
    expect(at(0.5)).toEqual(['openai/gpt-5', 'big', 'openai/gpt-5-mini']);
  });
});
