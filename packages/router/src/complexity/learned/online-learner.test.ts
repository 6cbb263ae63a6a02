import { describe, expect, it } from 'vitest';
import { samplePrompt } from '../prompt-sample.js';
import { DEFAULT_ROUTER_MODEL } from './default-router-model.js';
import { createLearnedComplexityScorer } from './learned-complexity-scorer.js';
import { createOnlineState, OnlineResidual, type OnlineLearnerState } from './online-learner.js';
import { createFeatureBuffer, extractFeatures } from './prompt-features.js';

const hard = samplePrompt('Derive the closed form of the recurrence and prove it by induction.');
const easy = samplePrompt('Say hello to my friend.');

describe('online learner', () => {
  it('starts as the prior: the same score with an empty state', () => {
    const prior = createLearnedComplexityScorer({ artefact: DEFAULT_ROUTER_MODEL });
    const online = createLearnedComplexityScorer({
      artefact: DEFAULT_ROUTER_MODEL,
      online: createOnlineState(DEFAULT_ROUTER_MODEL.version),
    });
    expect(online.score(hard)).toBe(prior.score(hard));
  });

  it('moves the score toward the labels it is fed', () => {
    const s = createLearnedComplexityScorer({ artefact: DEFAULT_ROUTER_MODEL });
    const h0 = s.score(hard);
    const e0 = s.score(easy);
    for (let i = 0; i < 30; i++) {
      s.learn(hard, 1);
      s.learn(easy, 0);
    }
    expect(s.score(hard)).toBeGreaterThan(h0 + 0.1);
    expect(s.score(easy)).toBeLessThan(e0 - 0.1);
    expect(s.onlineState().version).toBe(60);
  });

  it('is deterministic and round-trips through JSON to the same scores', () => {
    const run = () => {
      const s = createLearnedComplexityScorer({ artefact: DEFAULT_ROUTER_MODEL });
      for (let i = 0; i < 10; i++) s.learn(i % 2 ? hard : easy, (i % 2) as 0 | 1);
      return s;
    };
    const a = run();
    const b = run();
    expect(JSON.stringify(a.onlineState())).toBe(JSON.stringify(b.onlineState()));
    const restored = createLearnedComplexityScorer({
      artefact: DEFAULT_ROUTER_MODEL,
      online: JSON.parse(JSON.stringify(a.onlineState())) as OnlineLearnerState,
    });
    expect(restored.score(hard)).toBe(a.score(hard));
    expect(restored.score(easy)).toBe(a.score(easy));
    // Learning more on the restored copy continues from the same version.
    restored.learn(hard, 1);
    a.learn(hard, 1);
    expect(restored.onlineState()).toEqual(a.onlineState());
  });

  it('rolls back: an earlier state scores as it did then', () => {
    const s = createLearnedComplexityScorer({ artefact: DEFAULT_ROUTER_MODEL });
    s.learn(hard, 1);
    const v1 = s.onlineState();
    const atV1 = s.score(easy);
    for (let i = 0; i < 20; i++) s.learn(easy, 1); // a bad batch of verdicts
    expect(s.score(easy)).not.toBe(atV1);
    const back = createLearnedComplexityScorer({ artefact: DEFAULT_ROUTER_MODEL, online: v1 });
    expect(back.score(easy)).toBe(atV1);
    expect(back.onlineState().version).toBe(1);
  });

  it('refuses a state learned on another prior, or of an unknown format', () => {
    expect(() =>
      createLearnedComplexityScorer({
        artefact: DEFAULT_ROUTER_MODEL,
        online: createOnlineState('0.0.1'),
      }),
    ).toThrow(/learned on router model 0.0.1/);
    expect(() => new OnlineResidual({ ...createOnlineState('x'), format: 'v0' as never })).toThrow(
      /unknown format/,
    );
  });

  it('takes an SGD step on the log-loss: from zero, the residual moves against the error', () => {
    const r = new OnlineResidual(
      createOnlineState('x', { learningRate: 0.5, initialAccumulator: 1, l2: 0 }),
    );
    const buf = createFeatureBuffer();
    extractFeatures(hard, DEFAULT_ROUTER_MODEL.shape, buf);
    // Prior logit 0: p = 0.5, label 1: error -0.5; the bias moves by 0.5 * 0.5 / sqrt(1 + 0.25).
    r.update(buf, 0, 1);
    expect(r.intercept).toBeCloseTo(0.25 / Math.sqrt(1.25), 12);
    expect(r.margin(buf)).toBeGreaterThan(r.intercept);
    expect(r.priorWeight).toBe(1); // prior logit 0: no gradient on its weight
  });
});
