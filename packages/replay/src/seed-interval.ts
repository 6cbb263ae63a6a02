/** Two-sided 95% Student t quantiles by degrees of freedom (1-10), then the normal's 1.96. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/** Mean and half-width of the 95% confidence interval of the mean, across seeds. */
export interface SeedInterval {
  mean: number;
  /** Half-width: the interval is mean +- ci (0 with one sample). */
  ci: number;
  n: number;
}

export function seedInterval(values: readonly number[]): SeedInterval {
  const n = values.length;
  if (n === 0) return { mean: 0, ci: 0, n: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, ci: 0, n };
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  const t = T95[n - 2] ?? 1.96;
  return { mean, ci: (t * Math.sqrt(variance)) / Math.sqrt(n), n };
}
