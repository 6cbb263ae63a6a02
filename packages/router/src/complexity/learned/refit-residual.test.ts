import { describe, expect, it } from 'vitest';
import { rocAuc, seededRandom } from '../../evaluation/routing-metrics.js';
import { samplePrompt } from '../prompt-sample.js';
import { DEFAULT_ROUTER_MODEL } from './default-router-model.js';
import { createLearnedComplexityScorer } from './learned-complexity-scorer.js';
import { createOnlineState, OnlineResidual, type OnlineLearnerState } from './online-learner.js';
import { chooseL2, REFIT_FALLBACK_L2, refitResidual } from './refit-residual.js';

/**
 * A separable set the prior knows nothing about: each prompt holds one of 80 made-up marker
 * words, half of which mean "strong model needed", among 3-6 filler words drawn from 400. Each
 * marker is seen a few times in a few hundred outcomes: one SGD pass moves its weight only a bit.
 */
function syntheticSet(n: number, seed: number): { text: string; label: 0 | 1 }[] {
  const rnd = seededRandom(seed);
  const filler = Array.from({ length: 400 }, (_, i) => `w${(i * 7919) % 100003}x`);
  const markers = Array.from({ length: 80 }, (_, i) => `zq${(i * 104729) % 1000003}v`);
  return Array.from({ length: n }, () => {
    const m = Math.floor(rnd() * markers.length);
    const words = Array.from(
      { length: 3 + Math.floor(rnd() * 4) },
      () => filler[Math.floor(rnd() * filler.length)]!,
    );
    words.splice(Math.floor(rnd() * words.length), 0, markers[m]!);
    return { text: words.join(' '), label: (m % 2) as 0 | 1 };
  });
}

function aucAfter(train: { text: string; label: 0 | 1 }[], online: OnlineLearnerState): number {
  const s = createLearnedComplexityScorer({ artefact: DEFAULT_ROUTER_MODEL, online });
  for (const r of train) s.learn(samplePrompt(r.text), r.label);
  s.refit();
  const test = syntheticSet(400, 99);
  return rocAuc(
    test.map((r) => s.score(samplePrompt(r.text))),
    test.map((r) => r.label === 1),
  );
}

describe('refit buffer', () => {
  const v = DEFAULT_ROUTER_MODEL.version;

  it('learns a separable set from 400 outcomes where single-pass SGD does not', () => {
    const train = syntheticSet(400, 1);
    const single = aucAfter(train, createOnlineState(v, { bufferCap: 0 }));
    const refit = aucAfter(train, createOnlineState(v));
    expect(refit).toBeGreaterThan(0.85);
    expect(refit).toBeGreaterThan(single + 0.1);
  });

  it('is deterministic: the same outcomes give the same state, bit for bit', () => {
    const run = () => {
      const s = createLearnedComplexityScorer({ artefact: DEFAULT_ROUTER_MODEL });
      for (const r of syntheticSet(260, 3)) s.learn(samplePrompt(r.text), r.label);
      expect(s.refit()).toBe(true);
      return JSON.stringify(s.onlineState());
    };
    const a = run();
    expect(run()).toBe(a);
    expect((JSON.parse(a) as OnlineLearnerState).refitL2).toBeDefined();
  });

  it('round-trips through JSON with its buffer and keeps learning the same way', () => {
    const s = createLearnedComplexityScorer({ artefact: DEFAULT_ROUTER_MODEL });
    const set = syntheticSet(130, 4);
    for (const r of set.slice(0, 120)) s.learn(samplePrompt(r.text), r.label);
    const restored = createLearnedComplexityScorer({
      artefact: DEFAULT_ROUTER_MODEL,
      online: JSON.parse(JSON.stringify(s.onlineState())) as OnlineLearnerState,
    });
    const probe = samplePrompt(set[125]!.text);
    expect(restored.score(probe)).toBe(s.score(probe));
    for (const r of set.slice(120)) {
      s.learn(samplePrompt(r.text), r.label);
      restored.learn(samplePrompt(r.text), r.label);
    }
    s.refit();
    restored.refit();
    expect(restored.onlineState()).toEqual(s.onlineState());
  });

  it('keeps at most bufferCap outcomes, the newest', () => {
    const s = createLearnedComplexityScorer({
      artefact: DEFAULT_ROUTER_MODEL,
      online: createOnlineState(v, { bufferCap: 60 }),
    });
    const set = syntheticSet(100, 5);
    for (const r of set) s.learn(samplePrompt(r.text), r.label);
    const state = s.onlineState();
    expect(state.buffer).toHaveLength(60);
    expect(state.buffer!.map((e) => e[3])).toEqual(set.slice(40).map((r) => r.label));
    const off = createLearnedComplexityScorer({
      artefact: DEFAULT_ROUTER_MODEL,
      online: createOnlineState(v, { bufferCap: 0 }),
    });
    for (const r of set) off.learn(samplePrompt(r.text), r.label);
    expect(off.onlineState().buffer).toEqual([]);
    expect(off.refit()).toBe(false);
  });

  it('loads a state written before the buffer existed, and refuses a malformed buffer', () => {
    const legacy: Partial<OnlineLearnerState> = createOnlineState(v);
    delete legacy.buffer;
    delete legacy.bufferCap;
    delete legacy.sinceRefit;
    const s = createLearnedComplexityScorer({
      artefact: DEFAULT_ROUTER_MODEL,
      online: legacy as OnlineLearnerState,
    });
    s.learn(samplePrompt('zorblat w1x w2x'), 1);
    expect(s.onlineState().buffer).toHaveLength(1);
    expect(
      () => new OnlineResidual({ ...createOnlineState(v), buffer: [[1, 2]] as never }),
    ).toThrow(/buffer\[0\] must be/);
    expect(() => new OnlineResidual({ ...createOnlineState(v), bufferCap: -1 })).toThrow(
      /bufferCap/,
    );
  });

  it('cross-validates the L2 strength only on a large enough buffer', () => {
    const few = syntheticSet(50, 6).map(
      (r, i) => [[30 + (i % 7)], [1], 0, r.label] as [number[], number[], number, 0 | 1],
    );
    expect(chooseL2(few)).toEqual(REFIT_FALLBACK_L2);
    const fit = refitResidual(few);
    expect(fit.l2).toEqual(REFIT_FALLBACK_L2);
    expect(Number.isFinite(fit.bias)).toBe(true);
  });
});
