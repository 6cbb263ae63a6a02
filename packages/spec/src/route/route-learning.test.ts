import { describe, expect, it } from 'vitest';
import { parseRoute, validateResource } from '../index.js';

const route = (spec: Record<string, unknown>) => ({
  apiVersion: 'bascule.dev/v1alpha1',
  kind: 'Route',
  metadata: { name: 'chat' },
  spec: {
    strategy: 'complexity',
    targets: [
      { model: 'small', tier: 'simple' },
      { model: 'big', tier: 'complex' },
    ],
    ...spec,
  },
});
const issuesOf = (input: unknown) => {
  const r = validateResource(input);
  return r.status === 'invalid' ? r.issues.map((i) => `${i.path.join('.')}: ${i.message}`) : [];
};

describe('Route learning', () => {
  it('defaults: feedback only, a dollar a day, requests remembered a day', () => {
    expect(parseRoute(route({ learning: {} })).spec.learning).toEqual({
      shadowRate: 0,
      maxSpendPerDay: 1,
      rememberFor: '24h',
    });
  });

  it('a private Route may not judge with a Provider model', () => {
    expect(
      issuesOf(
        route({
          allowExternal: false,
          learning: { shadowRate: 0.1, judge: { provider: 'openai', model: 'gpt-5-mini' } },
        }),
      ),
    ).toEqual([
      'spec.learning.judge.provider: allowExternal is false, so the judge may not be the external model openai/gpt-5-mini',
    ]);
    expect(
      issuesOf(
        route({ allowExternal: false, learning: { shadowRate: 0.1, judge: { model: 'big' } } }),
      ),
    ).toEqual([]);
  });

  it('names the field: shadowing needs a judge, learning needs the complexity strategy, rates and durations', () => {
    expect(issuesOf(route({ learning: { shadowRate: 0.5 } }))).toEqual([
      'spec.learning.judge: shadowRate > 0 needs a judge (a Model or a Provider model)',
    ]);
    expect(
      issuesOf(route({ strategy: 'priority', targets: [{ model: 'small' }], learning: {} })),
    ).toEqual([
      'spec.learning: learning teaches the complexity scorer: it needs strategy complexity (strategy is priority)',
    ]);
    expect(issuesOf(route({ learning: { shadowRate: 2 } }))[0]).toMatch(
      /^spec\.learning\.shadowRate: /,
    );
    expect(issuesOf(route({ learning: { rememberFor: 'forever' } }))[0]).toMatch(
      /^spec\.learning\.rememberFor: must be a duration/,
    );
  });
});
