import { quantiseScore, type ComplexityThreshold } from './complexity-threshold.js';
import { shareThreshold } from './share-threshold.js';

/** Recent scores a strongShare quantile needs; with fewer, complexityThreshold stands in. */
export const CALIBRATION_MIN_SAMPLES = 20;

/** The parts of a Route spec that set its complexity threshold. */
export interface ThresholdSpec {
  complexityThreshold?: number;
  complexity?: { strongShare?: number | undefined; minQuality?: number | undefined } | undefined;
}

/** A Route's recent scores (every gateway replica's), and the tiers they were given. */
export interface ScoreWindow {
  /** Quantised scores, ascending. */
  sorted: ArrayLike<number>;
  /** How many of them took the complex tier. */
  complex: number;
}

const EMPTY: ScoreWindow = { sorted: [], complex: 0 };

/**
 * The threshold a Route's complexity strategy uses now, from its spec and its recent scores.
 * 1. Neither strongShare nor minQuality: complexityThreshold, fixed (as before calibration).
 * 2. strongShare s: the quantile of the recent scores that sends a share s to the complex tier
 *    (shareThreshold). The share aimed at is corrected by the window's own error: when the
 *    recent decisions sent r instead of s (while warming up, after a traffic shift, or because
 *    replicas refresh a moment apart), the next threshold aims at s + (s - r), so the share
 *    holds over the window instead of drifting with each estimate. While fewer than
 *    CALIBRATION_MIN_SAMPLES scores are known (a new Route, a new scorer, an empty Redis),
 *    complexityThreshold stands in (`warm-up`); its decisions count in the window like any.
 * 3. minQuality q: a prompt takes the complex tier when its score, P(strong model needed), is at
 *    least 1 - q: the small model answers only what it is predicted to get right with
 *    probability q. With strongShare as well, s becomes a cap: the stricter threshold wins, and
 *    the correction only ever lowers the share (an easy day does not bank strong calls).
 */
export function thresholdInForce(
  spec: ThresholdSpec,
  window: ScoreWindow = EMPTY,
): ComplexityThreshold {
  const fixed = spec.complexityThreshold ?? 0.5;
  const c = spec.complexity;
  if (c?.strongShare === undefined && c?.minQuality === undefined)
    return { value: fixed, tieShare: 1, source: 'fixed' };
  const samples = window.sorted.length;
  let t: ComplexityThreshold | undefined;
  if (c.strongShare !== undefined) {
    const s = c.strongShare;
    if (samples < CALIBRATION_MIN_SAMPLES) {
      t = { value: fixed, tieShare: 1, source: 'warm-up', samples };
    } else {
      const recent = window.complex / samples;
      const aim = c.minQuality === undefined ? s + (s - recent) : Math.min(s, s + (s - recent));
      const target = Math.min(1, Math.max(0, aim));
      t = {
        ...shareThreshold(window.sorted, target),
        source: 'share',
        samples,
        recentShare: recent,
        targetShare: target,
      };
    }
  }
  if (c.minQuality !== undefined) {
    const q: ComplexityThreshold = {
      value: quantiseScore(1 - c.minQuality),
      tieShare: 1,
      source: 'quality',
    };
    if (!t || stricter(q, t)) t = t ? { ...t, ...q } : q;
  }
  return t!;
}

/** Whether `a` sends fewer scores to the complex tier than `b`. */
function stricter(a: ComplexityThreshold, b: ComplexityThreshold): boolean {
  return a.value > b.value || (a.value === b.value && a.tieShare < b.tieShare);
}
