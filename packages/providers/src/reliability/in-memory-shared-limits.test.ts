import { describe, expect, it } from 'vitest';
import { computeBackoff } from './compute-backoff.js';
import { createInMemorySharedLimits } from './in-memory-shared-limits.js';

describe('createInMemorySharedLimits', () => {
  it('enforces rpm and tpm per one-minute window on an injected clock', async () => {
    let now = 60_000 * 10 + 1_000;
    const l = createInMemorySharedLimits(() => now);
    const limits = { requestsPerMinute: 2, tokensPerMinute: 100 };
    expect(await l.acquire('p', limits, 40)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(await l.acquire('p', limits, 70)).toMatchObject({
      allowed: false,
      limit: 'tpm',
      retryAfterMs: 59_000,
    });
    expect(await l.acquire('p', limits, 10)).toMatchObject({ allowed: true });
    expect(await l.acquire('p', limits, 1)).toMatchObject({ allowed: false, limit: 'rpm' });
    expect(await l.acquire('other', limits, 1)).toMatchObject({ allowed: true });
    now += 59_000;
    expect(await l.acquire('p', limits, 90)).toMatchObject({ allowed: true });
    await l.adjustTokens('p', -80);
    expect(await l.acquire('p', limits, 80)).toMatchObject({ allowed: true });
  });

  it('keeps the longest cooldown', async () => {
    let now = 0;
    const l = createInMemorySharedLimits(() => now);
    await l.startCooldown('p', 5_000);
    await l.startCooldown('p', 1_000);
    now = 2_000;
    expect(await l.cooldownRemaining('p')).toBe(3_000);
    now = 6_000;
    expect(await l.cooldownRemaining('p')).toBe(0);
  });
});

describe('computeBackoff', () => {
  it('grows exponentially up to the cap, scaled by jitter', () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4].map((a) => computeBackoff(a, opts, () => 0.999))).toEqual([
      99, 199, 399, 799, 999,
    ]);
    expect(computeBackoff(3, opts, () => 0)).toBe(0);
    expect(computeBackoff(2, opts, () => 0.5)).toBe(200);
  });
});
