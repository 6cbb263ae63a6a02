import { createRedisSharedLimits } from '@bascule/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';

describe('createRedisSharedLimits (private redis-server)', () => {
  let redis: RunningRedisServer;
  let replicaA: ReturnType<typeof createRedisSharedLimits>;
  let replicaB: ReturnType<typeof createRedisSharedLimits>;

  beforeAll(async () => {
    redis = await startRedisServer();
    replicaA = createRedisSharedLimits(redis.url, { prefix: 'test' });
    replicaB = createRedisSharedLimits(redis.url, { prefix: 'test' });
  });
  afterAll(async () => {
    await replicaA?.close();
    await replicaB?.close();
    await redis?.stop();
  });

  it('never lets two replicas together exceed rpm, even when racing', async () => {
    const limits = { requestsPerMinute: 20 };
    const decisions = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2 ? replicaA : replicaB).acquire('rpm-provider', limits, 1),
      ),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
    const refused = decisions.filter((d) => !d.allowed);
    expect(
      refused.every((d) => d.limit === 'rpm' && d.retryAfterMs > 0 && d.retryAfterMs <= 60_000),
    ).toBe(true);
  });

  it('counts tokens across replicas and corrects them with the real usage', async () => {
    const limits = { tokensPerMinute: 1_000 };
    expect((await replicaA.acquire('tpm-provider', limits, 600)).allowed).toBe(true);
    expect(await replicaB.acquire('tpm-provider', limits, 600)).toMatchObject({
      allowed: false,
      limit: 'tpm',
    });
    await replicaA.adjustTokens('tpm-provider', -500); // the call used 100 tokens, not 600
    expect((await replicaB.acquire('tpm-provider', limits, 600)).allowed).toBe(true);
  });

  it('shares a 429 cooldown and keeps the longer one', async () => {
    expect(await replicaB.cooldownRemaining('cool')).toBe(0);
    await replicaA.startCooldown('cool', 30_000);
    await replicaB.startCooldown('cool', 1_000);
    const left = await replicaB.cooldownRemaining('cool');
    expect(left).toBeGreaterThan(1_000);
    expect(left).toBeLessThanOrEqual(30_000);
  });
});
