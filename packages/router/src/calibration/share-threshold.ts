import type { ComplexityThreshold } from './complexity-threshold.js';

/**
 * The threshold that sends `share` of the scores in `sorted` (ascending, quantised) to the
 * complex tier: the (1 - share) quantile, with the tie at the quantile split so the share is
 * exact even when many scores are equal. With k = share x n: t is the smallest of the k highest
 * scores; the a scores above t all go, and of the b equal to t a share (k - a) / b goes.
 * share 0 sends nothing (no score exceeds 1, and ties at 1 get share 0); share 1 sends all.
 */
export function shareThreshold(
  sorted: ArrayLike<number>,
  share: number,
): Pick<ComplexityThreshold, 'value' | 'tieShare'> {
  const n = sorted.length;
  const k = Math.min(1, Math.max(0, share)) * n;
  if (n === 0 || k <= 0) return { value: 1, tieShare: 0 };
  if (k >= n) return { value: 0, tieShare: 1 };
  const t = sorted[n - Math.ceil(k)]!;
  const above = n - upperBound(sorted, t);
  const equal = n - lowerBound(sorted, t) - above;
  return { value: t, tieShare: Math.min(1, Math.max(0, (k - above) / equal)) };
}

/** First index whose value is >= x. */
function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > x. */
function upperBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
