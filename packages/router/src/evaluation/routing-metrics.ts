/**
 * Router quality metrics as RouteLLM defines them (arXiv 2406.18665, routellm/evals):
 * send the highest-scoring share of prompts to the strong model, the rest to the weak one, and
 * trace mean quality against the strong share as the threshold sweeps from "none" to "all".
 * - PGR(share) = (quality(share) - weak) / (strong - weak): the share of the quality gap recovered.
 * - APGR: the area under PGR over the strong share in [0, 1] (trapezoids). Random routing has 0.5
 *   in expectation; a perfect router approaches 1 (above 1 when the weak model sometimes wins).
 * - CPT(x): the smallest strong share whose PGR reaches x (linear between sweep points).
 * - AUC: ROC AUC of the score for the label "the weak model did worse than the strong one".
 * RouteLLM sweeps 10 quantile thresholds; this sweeps every distinct score (prompts with equal
 * scores move together, so a constant scorer gives the straight line of random routing).
 */

export interface LabelledScore {
  score: number;
  /** Quality of the weak and strong model's answer (0/1 correctness, or a judge's grade). */
  weak: number;
  strong: number;
}

export interface CurvePoint {
  share: number;
  quality: number;
}

export interface RoutingMetrics {
  n: number;
  apgr: number;
  cpt50: number;
  cpt80: number;
  auc: number;
  weakQuality: number;
  strongQuality: number;
}

/** Quality against strong share, from share 0 (all weak) to 1 (all strong). */
export function qualityCurve(items: readonly LabelledScore[]): CurvePoint[] {
  const order = items.map((_, i) => i).sort((a, b) => items[b]!.score - items[a]!.score);
  const n = items.length;
  let total = 0;
  for (const it of items) total += it.weak;
  const points: CurvePoint[] = [{ share: 0, quality: n > 0 ? total / n : 0 }];
  let k = 0;
  while (k < n) {
    const s = items[order[k]!]!.score;
    while (k < n && items[order[k]!]!.score === s) {
      const it = items[order[k]!]!;
      total += it.strong - it.weak;
      k++;
    }
    points.push({ share: k / n, quality: total / n });
  }
  return points;
}

/** Share of the gap recovered at each point of the curve. */
function pgr(quality: number, weak: number, strong: number): number {
  return strong === weak ? 0 : (quality - weak) / (strong - weak);
}

export function apgr(curve: readonly CurvePoint[], weak: number, strong: number): number {
  let area = 0;
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1]!;
    const b = curve[i]!;
    area +=
      ((b.share - a.share) * (pgr(a.quality, weak, strong) + pgr(b.quality, weak, strong))) / 2;
  }
  return area;
}

/** Smallest strong share whose PGR reaches `target` (1 if it never does). */
export function callsForPerformance(
  curve: readonly CurvePoint[],
  weak: number,
  strong: number,
  target: number,
): number {
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1]!;
    const b = curve[i]!;
    const pa = pgr(a.quality, weak, strong);
    const pb = pgr(b.quality, weak, strong);
    if (pa >= target) return a.share;
    if (pb >= target) return a.share + ((target - pa) / (pb - pa)) * (b.share - a.share);
  }
  return 1;
}

/** ROC AUC of `score` for `positive` (Mann-Whitney; ties count one half). NaN with one class. */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  let rankSum = 0;
  let k = 0;
  while (k < order.length) {
    let j = k;
    while (j < order.length && scores[order[j]!] === scores[order[k]!]) j++;
    const midRank = (k + 1 + j) / 2; // ranks k+1 .. j share their mean
    for (let t = k; t < j; t++)
      if (positive[order[t]!]) {
        pos++;
        rankSum += midRank;
      }
    k = j;
  }
  const neg = order.length - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** All four metrics; the AUC label is `weak < strong`. */
export function routingMetrics(items: readonly LabelledScore[]): RoutingMetrics {
  const n = items.length;
  let weak = 0;
  let strong = 0;
  for (const it of items) {
    weak += it.weak;
    strong += it.strong;
  }
  weak /= Math.max(1, n);
  strong /= Math.max(1, n);
  const curve = qualityCurve(items);
  return {
    n,
    apgr: apgr(curve, weak, strong),
    cpt50: callsForPerformance(curve, weak, strong, 0.5),
    cpt80: callsForPerformance(curve, weak, strong, 0.8),
    auc: rocAuc(
      items.map((i) => i.score),
      items.map((i) => i.weak < i.strong),
    ),
    weakQuality: weak,
    strongQuality: strong,
  };
}

/** A seeded PRNG (mulberry32): deterministic bootstraps and splits. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Interval {
  mean: number;
  lo: number;
  hi: number;
}

/**
 * A percentile bootstrap 95 % interval of `stat` over resamples of the items (seeded).
 * `stat` gets index lists so several scorers can share the same resamples (paired).
 */
export function bootstrap(
  n: number,
  stat: (sample: readonly number[]) => number,
  { rounds = 1000, seed = 1 }: { rounds?: number; seed?: number } = {},
): Interval {
  const rnd = seededRandom(seed);
  const values: number[] = [];
  const all = Array.from({ length: n }, (_, i) => i);
  for (let r = 0; r < rounds; r++) {
    const sample = all.map(() => Math.floor(rnd() * n));
    const v = stat(sample);
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  const q = (p: number) =>
    values[Math.min(values.length - 1, Math.floor(p * values.length))] ?? NaN;
  return { mean: stat(all), lo: q(0.025), hi: q(0.975) };
}
