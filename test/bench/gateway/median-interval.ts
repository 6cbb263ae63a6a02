/**
 * A distribution-free confidence interval for the median of the population some figures were
 * drawn from: with n figures sorted, P(x(k) <= median <= x(n+1-k)) = 1 - 2 P(Binomial(n, 1/2)
 * < k). The largest k whose coverage is still at least `confidence` is taken (the narrowest
 * interval that holds); with too few figures for that, the lowest and highest (k = 1), whose
 * coverage is 1 - 2^(1-n) (94% for 5, 98% for 7, 99.6% for 9 with k = 1; 96% for 9 with k = 2).
 */
export interface MedianInterval {
  lo: number;
  hi: number;
  /** Probability that the interval holds the median. */
  coverage: number;
}

export function medianInterval(xs: readonly number[], confidence = 0.95): MedianInterval {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return { lo: NaN, hi: NaN, coverage: 0 };
  // coverage(k) = 1 - 2 P(Binomial(n, 1/2) < k); k = 1 is always taken
  let k = 1;
  let coverage = 1 - 2 * 0.5 ** n;
  let below = 0.5 ** n; // P(Binomial < 1)
  let choose = 1; // C(n, k - 1)
  while (k + 1 <= Math.floor((n + 1) / 2)) {
    choose = (choose * (n - k + 1)) / k; // C(n, k)
    const next = 1 - 2 * (below + choose * 0.5 ** n);
    if (next < confidence) break;
    below += choose * 0.5 ** n;
    k++;
    coverage = next;
  }
  return { lo: s[k - 1]!, hi: s[n - k]!, coverage };
}

/** The middle figure (the upper of the two middle ones for an even count). */
export const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
