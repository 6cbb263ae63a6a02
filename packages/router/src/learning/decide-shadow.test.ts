import type { RouteSpecInput } from '@bascule/spec';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../catalog/routing-catalog.js';
import { resolveTargets } from '../targets/resolve-targets.js';
import type { Target } from '../targets/target.js';
import { big, openai, route, small } from '../testing/fixtures.js';
import { decideShadow, withinShadowCap } from './decide-shadow.js';
import { sampleUnit } from './sample-unit.js';

const learning = (extra: Record<string, unknown> = {}) => ({
  shadowRate: 1,
  judge: { model: 'big' },
  maxSpendPerDay: 1,
  ...extra,
});

function setup(spec: Partial<RouteSpecInput>) {
  const r = route('r', {
    strategy: 'complexity',
    targets: [
      { model: 'small', tier: 'simple' },
      { provider: 'openai', model: 'gpt-5', tier: 'complex' },
      { model: 'big', tier: 'complex' },
    ],
    ...spec,
  });
  const catalog = buildCatalog({ routes: [r], models: [small, big], providers: [openai] });
  const resolved = resolveTargets(catalog, 'r');
  const targets = resolved.kind === 'route' ? resolved.targets : [];
  const t = (name: string) => targets.find((x) => x.name === name) as Target;
  return { route: r, catalog, t };
}

describe('decideShadow', () => {
  it('shadows a simple-tier answer against the first complex target, judged by the named Model', () => {
    const { route: r, catalog, t } = setup({ learning: learning() });
    const d = decideShadow({
      route: r,
      catalog,
      served: t('small'),
      requestId: 'x',
      spentTodayUSD: 0,
    });
    expect(d).toMatchObject({ shadow: true, servedTier: 'simple' });
    if (!d.shadow) throw new Error('not shadowed');
    expect(d.other.name).toBe('openai/gpt-5');
    expect(d.judge).toMatchObject({ kind: 'model', name: 'big' });
    const back = decideShadow({
      route: r,
      catalog,
      served: t('openai/gpt-5'),
      requestId: 'x',
      spentTodayUSD: 0,
    });
    expect(back.shadow && back.other.name).toBe('small');
  });

  it('is off without learning, with rate 0, and for untiered answers', () => {
    const { route: r, catalog, t } = setup({});
    expect(
      decideShadow({ route: r, catalog, served: t('small'), requestId: 'x', spentTodayUSD: 0 }),
    ).toEqual({ shadow: false, reason: 'off' });
    const z = setup({ learning: learning({ shadowRate: 0 }) });
    expect(
      decideShadow({
        route: z.route,
        catalog: z.catalog,
        served: z.t('small'),
        requestId: 'x',
        spentTodayUSD: 0,
      }),
    ).toEqual({ shadow: false, reason: 'off' });
    const u = setup({
      targets: [{ model: 'small' }, { model: 'big', tier: 'complex' }],
      learning: learning(),
    });
    expect(
      decideShadow({
        route: u.route,
        catalog: u.catalog,
        served: u.t('small'),
        requestId: 'x',
        spentTodayUSD: 0,
      }),
    ).toEqual({ shadow: false, reason: 'untiered' });
  });

  it('samples by the request id hash: about shadowRate of ids, the same ids on every call', () => {
    const { route: r, catalog, t } = setup({ learning: learning({ shadowRate: 0.2 }) });
    const ids = Array.from({ length: 5000 }, (_, i) => `req_${i.toString(16).padStart(24, '0')}`);
    const picked = ids.filter(
      (id) =>
        decideShadow({ route: r, catalog, served: t('small'), requestId: id, spentTodayUSD: 0 })
          .shadow,
    );
    // Binomial(5000, 0.2): sd ≈ 28; ±5 sd.
    expect(picked.length).toBeGreaterThan(1000 - 140);
    expect(picked.length).toBeLessThan(1000 + 140);
    expect(picked.every((id) => sampleUnit(id) < 0.2)).toBe(true);
  });

  it('a private Route never shadows to a closed model: skips it for a Model of that tier, or not at all', () => {
    const p = setup({
      allowExternal: false,
      targets: [
        { model: 'small', tier: 'simple' },
        { model: 'big', tier: 'complex' },
      ],
      learning: learning(),
    });
    const d = decideShadow({
      route: p.route,
      catalog: p.catalog,
      served: p.t('small'),
      requestId: 'x',
      spentTodayUSD: 0,
    });
    expect(d.shadow && d.other.kind).toBe('model');
    // A strict request on a public Route: gpt-5 is skipped for big.
    const s = setup({ learning: learning() });
    const strict = decideShadow({
      route: s.route,
      catalog: s.catalog,
      served: s.t('small'),
      requestId: 'x',
      privacyStrict: true,
      spentTodayUSD: 0,
    });
    expect(strict.shadow && strict.other.name).toBe('big');
    // Only a closed model in the other tier: nothing.
    const only = setup({
      targets: [
        { model: 'small', tier: 'simple' },
        { provider: 'openai', model: 'gpt-5', tier: 'complex' },
      ],
      learning: learning(),
    });
    expect(
      decideShadow({
        route: only.route,
        catalog: only.catalog,
        served: only.t('small'),
        requestId: 'x',
        privacyStrict: true,
        spentTodayUSD: 0,
      }),
    ).toEqual({ shadow: false, reason: 'private' });
    // A closed judge on a strict request: nothing (the spec already refuses it on private Routes).
    const j = setup({ learning: learning({ judge: { provider: 'openai', model: 'gpt-5-mini' } }) });
    expect(
      decideShadow({
        route: j.route,
        catalog: j.catalog,
        served: j.t('small'),
        requestId: 'x',
        privacyStrict: true,
        spentTodayUSD: 0,
      }),
    ).toEqual({ shadow: false, reason: 'private' });
    expect(
      decideShadow({
        route: j.route,
        catalog: j.catalog,
        served: j.t('small'),
        requestId: 'x',
        spentTodayUSD: 0,
      }).shadow,
    ).toBe(true);
  });

  it('stops once the day spend reached the cap', () => {
    const { route: r, catalog, t } = setup({ learning: learning({ maxSpendPerDay: 0.5 }) });
    const at = (spent: number) =>
      decideShadow({ route: r, catalog, served: t('small'), requestId: 'x', spentTodayUSD: spent });
    expect(at(0.49).shadow).toBe(true);
    expect(at(0.5)).toEqual({ shadow: false, reason: 'cap' });
    expect(at(0.7)).toEqual({ shadow: false, reason: 'cap' });
  });

  it('names an unresolvable judge', () => {
    const { route: r, catalog, t } = setup({ learning: learning({ judge: { model: 'nope' } }) });
    expect(
      decideShadow({ route: r, catalog, served: t('small'), requestId: 'x', spentTodayUSD: 0 }),
    ).toEqual({ shadow: false, reason: 'no-judge' });
  });
});

describe('withinShadowCap', () => {
  it('admits an estimate only when it fits under the cap', () => {
    expect(withinShadowCap(0.9, 0.1, 1)).toBe(true);
    expect(withinShadowCap(0.9, 0.11, 1)).toBe(false);
    expect(withinShadowCap(1, 0, 1)).toBe(false);
    expect(withinShadowCap(0.99, 0, 1)).toBe(true);
  });
});
