import { describe, expect, it } from 'vitest';
import { isComplex, quantiseScore, tieKeyOf } from './complexity-threshold.js';
import { shareThreshold } from './share-threshold.js';

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
/** Share of `scores` a threshold sends to the complex tier, ties split by each one's tie key. */
const sentShare = (scores: number[], keys: number[], t: ReturnType<typeof shareThreshold>) =>
  scores.filter((s, i) => isComplex(s, { ...t, source: 'share' }, keys[i]!)).length / scores.length;

describe('shareThreshold', () => {
  it('is the (1 - share) quantile of distinct scores', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i / 100);
    expect(shareThreshold(sorted(xs), 0.3)).toEqual({ value: 0.7, tieShare: 1 });
    expect(shareThreshold(sorted(xs), 0.05)).toEqual({ value: 0.95, tieShare: 1 });
    const keys = xs.map(() => 0.5);
    expect(sentShare(xs, keys, shareThreshold(sorted(xs), 0.3))).toBe(0.3);
  });

  it('splits a tie at the quantile so the share is exact', () => {
    // 60 prompts score 0, 40 score 0.9: a 30 % share takes 30 of the 40 tied at 0.9.
    const xs = [...Array<number>(60).fill(0), ...Array<number>(40).fill(0.9)];
    const t = shareThreshold(sorted(xs), 0.3);
    expect(t).toEqual({ value: 0.9, tieShare: 0.75 });
    const keys = xs.map((_, i) => tieKeyOf(`prompt ${i}`, 10 + i));
    expect(sentShare(xs, keys, t)).toBeGreaterThan(0.2);
    expect(sentShare(xs, keys, t)).toBeLessThan(0.4);
    // 80 % at 0: a 30 % share takes all 20 above and a eighth of the zeros.
    const low = [...Array<number>(80).fill(0), ...Array<number>(20).fill(0.4)];
    expect(shareThreshold(sorted(low), 0.3)).toEqual({ value: 0, tieShare: 0.125 });
  });

  it('sends nothing at share 0 and everything at share 1, and copes with an empty window', () => {
    const xs = sorted([0, 0.2, 1, 1]);
    const none = shareThreshold(xs, 0);
    expect(xs.some((s) => isComplex(s, { ...none, source: 'share' }, 0))).toBe(false);
    const all = shareThreshold(xs, 1);
    expect(xs.every((s) => isComplex(s, { ...all, source: 'share' }, 0.999))).toBe(true);
    expect(shareThreshold([], 0.3)).toEqual({ value: 1, tieShare: 0 });
  });

  it('holds the share on fresh scores from the same distribution', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const draw = () => quantiseScore(rand() ** 3);
    const window = sorted(Array.from({ length: 2000 }, draw));
    const t = shareThreshold(window, 0.3);
    const fresh = Array.from({ length: 5000 }, draw);
    const share = sentShare(fresh, fresh.map(rand), t);
    expect(Math.abs(share - 0.3)).toBeLessThan(0.03);
  });
});

describe('tieKeyOf', () => {
  it('is stable per prompt and spread over [0,1)', () => {
    expect(tieKeyOf('hello', 5)).toBe(tieKeyOf('hello', 5));
    const keys = Array.from({ length: 1000 }, (_, i) => tieKeyOf(`prompt number ${i}`, 20));
    expect(Math.min(...keys)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...keys)).toBeLessThan(1);
    expect(keys.filter((k) => k < 0.5).length).toBeGreaterThan(450);
    expect(keys.filter((k) => k < 0.5).length).toBeLessThan(550);
  });
});
