import { describe, expect, it } from 'vitest';
import {
  apgr,
  bootstrap,
  callsForPerformance,
  qualityCurve,
  rocAuc,
  routingMetrics,
  seededRandom,
} from './routing-metrics.js';

// Four prompts; the weak model fails the first two, the strong one answers all.
// weak mean 0.5, strong mean 1: the gap is 0.5.
const items = [
  { score: 0.9, weak: 0, strong: 1 },
  { score: 0.8, weak: 0, strong: 1 },
  { score: 0.2, weak: 1, strong: 1 },
  { score: 0.1, weak: 1, strong: 1 },
];

describe('routing metrics', () => {
  it('traces quality from all-weak to all-strong, best scores first', () => {
    expect(qualityCurve(items)).toEqual([
      { share: 0, quality: 0.5 },
      { share: 0.25, quality: 0.75 },
      { share: 0.5, quality: 1 },
      { share: 0.75, quality: 1 },
      { share: 1, quality: 1 },
    ]);
  });

  it('computes APGR as the trapezoid area under the gap recovered', () => {
    // PGR 0, 0.5, 1, 1, 1 at shares 0..1 step 0.25: area 0.0625 + 0.1875 + 0.25 + 0.25 = 0.75.
    const m = routingMetrics(items);
    expect(m.apgr).toBeCloseTo(0.75, 12);
    expect(m.weakQuality).toBe(0.5);
    expect(m.strongQuality).toBe(1);
    // 50 % of the gap at 25 % strong calls; 80 % between 25 % (PGR 0.5) and 50 % (PGR 1): 40 %.
    expect(m.cpt50).toBeCloseTo(0.25, 12);
    expect(m.cpt80).toBeCloseTo(0.4, 12);
    expect(m.auc).toBe(1);
  });

  it('gives the inverted ranking a low APGR and AUC 0', () => {
    const inverted = items.map((i) => ({ ...i, score: 1 - i.score }));
    const m = routingMetrics(inverted);
    // PGR 0, 0, 0, 0.5, 1: area 0 + 0 + 0.0625 + 0.1875 = 0.25.
    expect(m.apgr).toBeCloseTo(0.25, 12);
    expect(m.auc).toBe(0);
    expect(m.cpt50).toBeCloseTo(0.75, 12);
  });

  it('moves tied scores together: a constant scorer is the random diagonal', () => {
    const flat = items.map((i) => ({ ...i, score: 0.5 }));
    const curve = qualityCurve(flat);
    expect(curve).toEqual([
      { share: 0, quality: 0.5 },
      { share: 1, quality: 1 },
    ]);
    expect(apgr(curve, 0.5, 1)).toBeCloseTo(0.5, 12);
    expect(callsForPerformance(curve, 0.5, 1, 0.5)).toBeCloseTo(0.5, 12);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [true, true, false, false])).toBe(0.5);
  });

  it('computes AUC with ties as one half, NaN with one class', () => {
    // Positives 0.8, 0.4; negatives 0.4, 0.1: pairs (0.8>0.4)(0.8>0.1)(0.4=0.4)(0.4>0.1) = 3.5/4.
    expect(rocAuc([0.8, 0.4, 0.4, 0.1], [true, true, false, false])).toBe(0.875);
    expect(rocAuc([0.1, 0.2], [true, true])).toBeNaN();
  });

  it('works with graded (1-10) quality as well as 0/1', () => {
    const graded = [
      { score: 1, weak: 4, strong: 10 },
      { score: 0, weak: 8, strong: 8 },
    ];
    // weak mean 6, strong 9; share 0.5 sends the first: quality (10 + 8) / 2 = 9: PGR 1.
    const m = routingMetrics(graded);
    expect(m.cpt50).toBeCloseTo(0.25, 12);
    expect(m.apgr).toBeCloseTo(0.75, 12);
  });

  it('bootstraps deterministically, with the statistic inside its interval', () => {
    const rnd = seededRandom(3);
    const xs = Array.from({ length: 200 }, () => rnd());
    const mean = (s: readonly number[]) => s.reduce((a, i) => a + xs[i]!, 0) / s.length;
    const a = bootstrap(xs.length, mean, { rounds: 200, seed: 9 });
    const b = bootstrap(xs.length, mean, { rounds: 200, seed: 9 });
    expect(a).toEqual(b);
    expect(a.lo).toBeLessThan(a.mean);
    expect(a.hi).toBeGreaterThan(a.mean);
    expect(a.hi - a.lo).toBeLessThan(0.2);
  });
});
