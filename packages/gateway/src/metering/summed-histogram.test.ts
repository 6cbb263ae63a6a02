import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SummedHistogram } from './summed-histogram.js';

const BUCKETS = [0.05, 0.1, 0.25, 1];
// on a bound, between bounds, below the first, above the last, zero
const VALUES = [0.05, 0.07, 0.1, 0.2, 0.25, 0.9, 1, 1.5, 30, 0, 0.01];

function both(labelName?: string) {
  const theirs = new Registry();
  const ours = new Registry();
  const h = new Histogram({
    name: 'x_seconds',
    help: 'help text',
    buckets: BUCKETS,
    ...(labelName ? { labelNames: [labelName] } : {}),
    registers: [theirs],
  });
  const s = new SummedHistogram('x_seconds', 'help text', BUCKETS, labelName, ours);
  return { theirs, ours, h, s };
}

describe('SummedHistogram', () => {
  it('exposes the same text as prom-client for the same observations, per label value', async () => {
    const { theirs, ours, h, s } = both('target');
    VALUES.forEach((v, i) => {
      const t = i % 3 === 0 ? 'a' : 'b';
      h.observe({ target: t }, v);
      s.observe(v, t);
    });
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('x_seconds_bucket{le="0.05",target="a"}');
    // JSON (what cluster workers send): the same values, without prom-client's empty exemplars
    const plain = async (r: Registry) =>
      (await r.getMetricsAsJSON()).map((m) => ({
        ...m,
        values: m.values.map((v) => ({
          labels: v.labels,
          value: v.value,
          metricName: (v as { metricName?: string }).metricName,
        })),
      }));
    expect(await plain(ours)).toEqual(await plain(theirs));
  });

  it('an unlabelled one is exposed at zero before any observation, and after a reset', async () => {
    const { theirs, ours, h, s } = both();
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).toContain('x_seconds_count 0');
    for (const v of VALUES) {
      h.observe(v);
      s.observe(v);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).toContain(`x_seconds_count ${VALUES.length}`);
    theirs.resetMetrics();
    ours.resetMetrics();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('sums across cluster workers as prom-client does', async () => {
    const a = both('target');
    const b = both('target');
    for (const v of VALUES) {
      a.h.observe({ target: 'm' }, v);
      a.s.observe(v, 'm');
      b.h.observe({ target: 'n' }, v * 2);
      b.s.observe(v * 2, 'n');
    }
    const agg = async (r1: Registry, r2: Registry) =>
      AggregatorRegistry.aggregate([
        await r1.getMetricsAsJSON(),
        await r2.getMetricsAsJSON(),
      ]).metrics();
    expect(await agg(a.ours, b.ours)).toBe(await agg(a.theirs, b.theirs));
  });

  it('ignores a value that is not a finite number (the series stays as it was)', async () => {
    const { ours, s } = both('target');
    s.observe(0.1, 'a');
    s.observe(Number.NaN, 'a');
    s.observe(Number.POSITIVE_INFINITY, 'a');
    expect(await ours.metrics()).toContain('x_seconds_count{target="a"} 1');
  });
});
