import { describe, expect, it } from 'vitest';
import {
  LATENCY_BUCKETS,
  MINUTE_SERIES_TTL_S,
  MinuteCounts,
  bucketUpperMs,
  dropExpired,
  latencyBucket,
  quantileOfBuckets,
  type MinuteIncrements,
} from './minute-series.js';
import type { UsageRecord } from './usage-record.js';

const rec = (r: Partial<UsageRecord>): UsageRecord => ({
  key: 'k1',
  route: 'chat',
  target: 'small',
  targetKind: 'model',
  reason: 'priority',
  status: 200,
  promptTokens: 5,
  completionTokens: 7,
  latencyMs: 50,
  overheadMs: 1,
  costUSD: 0.5,
  at: 120_000,
  ...r,
});

describe('minute series', () => {
  it('puts a latency in the bucket whose bounds hold it', () => {
    for (const ms of [0.2, 1, 1.6, 37, 999, 12_345, 60_000]) {
      const i = latencyBucket(ms);
      expect(ms).toBeLessThanOrEqual(bucketUpperMs(i));
      if (i > 0) expect(ms).toBeGreaterThan(bucketUpperMs(i - 1));
    }
    expect(latencyBucket(1e12)).toBe(LATENCY_BUCKETS - 1);
  });

  it('estimates quantiles within one bucket width', () => {
    const h = new Map<number, number>();
    // 1..1000 ms, uniformly: p50 = 500, p99 = 990.
    for (let ms = 1; ms <= 1000; ms++) {
      const i = latencyBucket(ms);
      h.set(i, (h.get(i) ?? 0) + 1);
    }
    const p50 = quantileOfBuckets(h, 0.5)!;
    const p99 = quantileOfBuckets(h, 0.99)!;
    expect(p50).toBeGreaterThan(500 / 1.5);
    expect(p50).toBeLessThan(500 * 1.5);
    expect(p99).toBeGreaterThan(990 / 1.5);
    expect(p99).toBeLessThan(990 * 1.5);
    expect(quantileOfBuckets(new Map(), 0.5)).toBeUndefined();
  });

  it('counts a request in the all, key, route and target scopes of its minute', () => {
    const counts = new MinuteCounts();
    counts.add(rec({}));
    counts.add(
      rec({
        target: 'openai/gpt-5-mini',
        targetKind: 'provider',
        reason: 'overflow:queue-wait',
        ttftMs: 30,
      }),
    );
    counts.add(rec({ status: 429, refused: true, target: 'none', targetKind: 'none', costUSD: 0 }));
    const m: MinuteIncrements = new Map();
    counts.drainInto(m);
    expect([...m.keys()].sort()).toEqual([
      '2:all',
      '2:key:k1',
      '2:route:chat',
      '2:target:none',
      '2:target:openai/gpt-5-mini',
      '2:target:small',
    ]);
    const all = m.get('2:all')!;
    expect(Object.fromEntries(all)).toMatchObject({
      req: 3,
      err: 1,
      req_self: 1,
      req_closed: 1,
      usd_self: 0.5,
      usd_closed: 0.5,
      'ovf:queue-wait': 1,
      [`ttft:${latencyBucket(30)}`]: 1,
      [`lat:${latencyBucket(50)}`]: 2, // the refused one has no latency sample
    });
    expect(all.has('dec:small|priority')).toBe(false);
    expect(m.get('2:route:chat')!.get('dec:openai/gpt-5-mini|overflow:queue-wait')).toBe(1);
    expect(m.get('2:route:chat')!.get('dec:small|priority')).toBe(1);
    // Nothing with a zero count is written.
    expect(m.get('2:target:none')!.has('usd_self')).toBe(false);
    expect(m.get('2:target:none')!.has('in')).toBe(true);
  });

  it('keeps each minute apart, and drains to nothing', () => {
    const counts = new MinuteCounts();
    counts.add(rec({ at: 120_000 }));
    counts.add(rec({ at: 180_000, promptTokens: 2 }));
    // a long request that arrived in the minute before, metered after
    counts.add(rec({ at: 150_000, promptTokens: 3 }));
    const m: MinuteIncrements = new Map();
    counts.drainInto(m);
    expect(m.get('2:key:k1')!.get('in')).toBe(8);
    expect(m.get('3:key:k1')!.get('in')).toBe(2);
    expect(m.get('2:all')!.get('req')).toBe(2);
    const again: MinuteIncrements = new Map();
    counts.drainInto(again);
    expect(again.size).toBe(0);
  });

  it('adds to a failed flush kept for the next, and drops minutes past the retention', () => {
    const a: MinuteIncrements = new Map([['10:all', new Map([['req', 2]])]]);
    const counts = new MinuteCounts();
    for (const at of [600_000, 600_001, 600_002, 660_000]) counts.add(rec({ at }));
    counts.drainInto(a);
    expect(a.get('10:all')!.get('req')).toBe(5);
    expect(a.get('11:all')!.get('req')).toBe(1);
    const now = (11 + MINUTE_SERIES_TTL_S / 60) * 60_000;
    dropExpired(a, now);
    expect([...a.keys()].every((k) => k.startsWith('11:'))).toBe(true);
    expect(a.get('11:all')!.get('req')).toBe(1);
  });
});
