import { describe, expect, it } from 'vitest';
import {
  CALIBRATION_MIN_SAMPLES,
  thresholdInForce,
  type ScoreWindow,
} from './threshold-in-force.js';

/** A window of n evenly spread scores of which `complex` took the complex tier. */
const windowOf = (n: number, complex: number): ScoreWindow => ({
  sorted: Array.from({ length: n }, (_, i) => i / n),
  complex,
});

describe('thresholdInForce', () => {
  it('without strongShare or minQuality is the fixed complexityThreshold', () => {
    expect(thresholdInForce({ complexityThreshold: 0.45 })).toEqual({
      value: 0.45,
      tieShare: 1,
      source: 'fixed',
    });
    expect(thresholdInForce({}, windowOf(1000, 300)).value).toBe(0.5);
  });

  it('warms up on complexityThreshold until enough scores are known', () => {
    const spec = { complexityThreshold: 0.6, complexity: { strongShare: 0.3 } };
    const n = CALIBRATION_MIN_SAMPLES - 1;
    expect(thresholdInForce(spec, windowOf(n, 0))).toEqual({
      value: 0.6,
      tieShare: 1,
      source: 'warm-up',
      samples: n,
    });
    expect(thresholdInForce(spec).source).toBe('warm-up');
  });

  it('takes the (1 - strongShare) quantile once the window is on target', () => {
    const t = thresholdInForce({ complexity: { strongShare: 0.3 } }, windowOf(1000, 300));
    expect(t).toMatchObject({ value: 0.7, source: 'share', samples: 1000, targetShare: 0.3 });
  });

  it("aims off target by the window's own error, so the share holds over the window", () => {
    const spec = { complexity: { strongShare: 0.3 } };
    // Warm-up sent only 10 %: aim at 50 % until the window catches up.
    expect(thresholdInForce(spec, windowOf(1000, 100))).toMatchObject({
      targetShare: 0.5,
      recentShare: 0.1,
      value: 0.5,
    });
    // 45 % went: aim at 15 %.
    expect(thresholdInForce(spec, windowOf(1000, 450)).value).toBeCloseTo(0.85, 9);
    // Never outside [0, 1].
    expect(thresholdInForce(spec, windowOf(1000, 1000)).targetShare).toBe(0);
  });

  it('minQuality q sends a prompt to the complex tier when its score is at least 1 - q', () => {
    expect(thresholdInForce({ complexity: { minQuality: 0.8 } })).toEqual({
      value: 0.2,
      tieShare: 1,
      source: 'quality',
    });
  });

  it('with both, the stricter wins and strongShare is a cap that is never exceeded to catch up', () => {
    const both = { complexity: { strongShare: 0.3, minQuality: 0.8 } };
    // Hard traffic: 1 - q = 0.2 would send 80 %; the share caps it at the 0.7 quantile.
    expect(thresholdInForce(both, windowOf(1000, 300))).toMatchObject({
      value: 0.7,
      source: 'share',
    });
    // An under-spent window does not raise the cap above 30 %.
    expect(thresholdInForce(both, windowOf(1000, 100))).toMatchObject({
      value: 0.7,
      targetShare: 0.3,
    });
    // Easy traffic (all scores below 0.1): the quality threshold is the stricter.
    const easy: ScoreWindow = {
      sorted: Array.from({ length: 1000 }, (_, i) => i / 10_000),
      complex: 0,
    };
    expect(thresholdInForce(both, easy)).toMatchObject({ value: 0.2, source: 'quality' });
  });
});
