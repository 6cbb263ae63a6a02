import { describe, expect, it } from 'vitest';
import { parseRoute, validateResource } from '../index.js';

const base = {
  apiVersion: 'bascule.dev/v1alpha1',
  kind: 'Route',
  metadata: { name: 'chat' },
  spec: { targets: [{ model: 'llama-3-1-8b' }, { provider: 'openai', model: 'gpt-5-mini' }] },
};
const withSpec = (spec: Record<string, unknown>) => ({ ...base, spec: { ...base.spec, ...spec } });
const issuesOf = (input: unknown) => {
  const r = validateResource(input);
  return r.status === 'invalid' ? r.issues.map((i) => `${i.path.join('.')}: ${i.message}`) : [];
};

describe('Route schema', () => {
  it('applies defaults', () => {
    const r = parseRoute(base);
    expect(r.spec.strategy).toBe('priority');
    expect(r.spec.allowExternal).toBe(true);
    expect(r.spec.fallback).toEqual({
      triggers: ['noCapacity', 'coldStart', 'queueWait', 'upstreamError', 'contextLength'],
      maxQueueWait: '2s',
    });
  });

  it('fails closed: no provider target when allowExternal is false', () => {
    expect(issuesOf(withSpec({ allowExternal: false }))).toEqual([
      'spec.targets.1.provider: allowExternal is false, so provider target openai/gpt-5-mini is not allowed (requests must stay in the cluster)',
    ]);
  });

  it('tiers need the complexity strategy', () => {
    expect(issuesOf(withSpec({ targets: [{ model: 'a', tier: 'simple' }] }))).toEqual([
      'spec.targets.0.tier: tier is only used by strategy complexity (strategy is priority)',
    ]);
    expect(
      issuesOf(withSpec({ strategy: 'complexity', targets: [{ model: 'a', tier: 'simple' }] })),
    ).toEqual([
      'spec.targets: strategy complexity needs at least one target for tier complex (or untiered)',
    ]);
  });

  it('calibrates the complexity threshold by share or quality, only for strategy complexity', () => {
    const tiers = [
      { model: 'a', tier: 'simple' },
      { provider: 'openai', model: 'gpt-5', tier: 'complex' },
    ];
    const r = parseRoute(
      withSpec({ strategy: 'complexity', targets: tiers, complexity: { strongShare: 0.3 } }),
    );
    expect(r.spec.complexity).toEqual({ strongShare: 0.3, window: 2000 });
    expect(r.spec.complexityThreshold).toBe(0.5);
    expect(issuesOf(withSpec({ complexity: { strongShare: 0.3 } }))).toEqual([
      'spec.complexity: complexity is only used by strategy complexity (strategy is priority)',
    ]);
    expect(issuesOf(withSpec({ strategy: 'complexity', targets: tiers, complexity: {} }))).toEqual([
      'spec.complexity: complexity needs strongShare, minQuality or both',
    ]);
    expect(
      issuesOf(
        withSpec({ strategy: 'complexity', targets: tiers, complexity: { strongShare: 1.5 } }),
      ),
    ).toEqual(['spec.complexity.strongShare: must be <= 1']);
  });

  it('targets declare strengths from a closed vocabulary, each once', () => {
    const r = parseRoute(
      withSpec({ targets: [{ model: 'qwen', strengths: ['zh', 'code'] }, { model: 'b' }] }),
    );
    expect(r.spec.targets[0]!.strengths).toEqual(['zh', 'code']);
    expect(issuesOf(withSpec({ targets: [{ model: 'q', strengths: ['zh', 'zh'] }] }))).toEqual([
      'spec.targets.0.strengths: duplicate strength zh',
    ]);
    expect(issuesOf(withSpec({ targets: [{ model: 'q', strengths: ['chinese'] }] }))).toHaveLength(
      1,
    );
  });
});
