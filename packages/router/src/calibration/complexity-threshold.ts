/**
 * The complexity threshold in force for one request: scores above `value` take the complex
 * tier; a score equal to `value` takes it when the prompt's tie key is below `tieShare` (so a
 * share can hold even when many prompts score the same). A fixed threshold has tieShare 1:
 * `score >= value` is complex, as `complexityThreshold` always meant.
 */
export interface ComplexityThreshold {
  value: number;
  /** Share in [0,1] of the scores equal to `value` that take the complex tier. */
  tieShare: number;
  /**
   * fixed: the Route's complexityThreshold; share: the (1 - strongShare) quantile of recent
   * scores; quality: 1 - minQuality; warm-up: fewer than CALIBRATION_MIN_SAMPLES recent scores,
   * so complexityThreshold stands in for the quantile (see thresholdInForce).
   */
  source: 'fixed' | 'share' | 'quality' | 'warm-up';
  /** Recent scores the quantile was taken over (strongShare Routes). */
  samples?: number;
  /** Share of those recent scores that took the complex tier. */
  recentShare?: number;
  /** The share this threshold aims at: strongShare, corrected by the window's error. */
  targetShare?: number;
}

/** Scores are compared at this precision, the one they are shared at between replicas. */
const SCORE_SCALE = 1e6;

/** A score rounded to 6 decimals: the window stores it so, and the tier compares it so. */
export function quantiseScore(p: number): number {
  return Math.round(Math.min(1, Math.max(0, p)) * SCORE_SCALE) / SCORE_SCALE;
}

/** Whether a score takes the complex tier under a threshold. `tieKey` is in [0,1). */
export function isComplex(score: number, t: ComplexityThreshold, tieKey: number): boolean {
  const p = quantiseScore(score);
  return p > t.value || (p === t.value && tieKey < t.tieShare);
}

/** A stable number in [0,1) for a prompt (FNV-1a of its first 256 characters and length). */
export function tieKeyOf(text: string, totalChars: number): number {
  let h = 0x811c9dc5 ^ totalChars;
  const end = Math.min(text.length, 256);
  for (let i = 0; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000;
}
