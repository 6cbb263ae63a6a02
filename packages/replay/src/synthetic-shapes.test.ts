import { describe, expect, it } from 'vitest';
import { multiplyLoad, shapeTrace, type PrefixedRequest } from './synthetic-shapes.js';
import type { Trace } from './trace-request.js';

const HOUR = 3_600_000;

function perMinute(t: Trace): number[] {
  const n = new Array<number>(60).fill(0);
  for (const r of t.requests) n[Math.floor(r.at / 60_000)]!++;
  return n;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pctl = (xs: readonly number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!;

describe('synthetic trace shapes', () => {
  it.each([1, 2, 3])('flat (seed %i): peak/mean of the per-minute rate under 1.3', (seed) => {
    const m = perMinute(shapeTrace('flat', { rate: 3, durationMs: HOUR, seed }));
    expect(Math.max(...m) / mean(m)).toBeLessThan(1.3);
    expect(mean(m) / 60).toBeCloseTo(3, 0);
  });

  it('diurnal: a trough and a peak several times apart', () => {
    const m = perMinute(shapeTrace('diurnal', { rate: 3, durationMs: HOUR, seed: 1 }));
    const smooth = m.map((_, i) => mean(m.slice(Math.max(0, i - 2), i + 3)));
    expect(Math.max(...smooth) / Math.min(...smooth)).toBeGreaterThan(4);
  });

  it.each([2, 4])(
    'bursty cv %i: inter-arrival gaps have about that coefficient of variation',
    (cv) => {
      const t = shapeTrace('bursty', { rate: 3, cv, durationMs: HOUR, seed: 1 });
      const gaps = t.requests.slice(1).map((r, i) => r.at - t.requests[i]!.at);
      const m = mean(gaps);
      const sd = Math.sqrt(mean(gaps.map((g) => (g - m) ** 2)));
      expect(sd / m).toBeGreaterThan(cv * 0.75);
      expect(sd / m).toBeLessThan(cv * 1.25);
    },
  );

  it('long-prompt: ~12k-token prompts with a ~85k p99, turns sharing their prefix blocks', () => {
    const prompts: number[] = [];
    for (const seed of [1, 2, 3]) {
      const t = shapeTrace('long-prompt', { rate: 1, durationMs: HOUR, seed });
      prompts.push(...t.requests.map((r) => r.promptTokens));
      const reqs = t.requests as PrefixedRequest[];
      for (const r of reqs) expect(r.hashIds!.length).toBe(Math.ceil(r.promptTokens / 512));
      // Most blocks were seen before (system prompts, earlier turns of the conversation).
      const seen = new Set<number>();
      let reused = 0;
      let total = 0;
      for (const r of reqs) {
        for (const h of r.hashIds!) {
          total++;
          if (seen.has(h)) reused++;
          seen.add(h);
        }
      }
      expect(reused / total).toBeGreaterThan(0.4);
    }
    expect(mean(prompts)).toBeGreaterThan(10_000);
    expect(mean(prompts)).toBeLessThan(15_000);
    expect(pctl(prompts, 0.99)).toBeGreaterThan(65_000);
    expect(pctl(prompts, 0.99)).toBeLessThan(100_000);
  });

  it('load multiplier compresses time and keeps the requests', () => {
    const t = shapeTrace('flat', { rate: 2, durationMs: 10 * 60_000, seed: 1 });
    const x3 = multiplyLoad(t, 3);
    expect(x3.requests).toHaveLength(t.requests.length);
    expect(x3.requests.at(-1)!.at).toBeCloseTo(t.requests.at(-1)!.at / 3);
    expect(x3.requests[5]!.promptTokens).toBe(t.requests[5]!.promptTokens);
    expect(() => multiplyLoad(t, 0)).toThrow(/multiplier/);
  });
});
