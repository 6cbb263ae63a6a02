// Admission leases against a real redis-server (ADR 0034): a busy key is admitted without a
// Redis call per request, yet no more pass than one-by-one admission would let through, what a
// lease did not use goes back, and a revocation (or a lost revocation channel) ends it at once.
import { keyRevocationChannel, keySpendKey, rateCountKey } from '@bascule/keyspace';
import {
  createKeyAuthenticator,
  createRedisClient,
  createRedisKeyStore,
  type KeyAuthenticator,
  type Redis,
} from '@bascule/gateway';
import { waitFor } from '@bascule/test-support';
import type { IncomingMessage } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';

const asRequest = (key: string) =>
  ({ headers: { authorization: `Bearer ${key}` } }) as unknown as IncomingMessage;
// A frozen clock: no lease expires by time, so only what the test does can end one.
const AT = Date.UTC(2026, 11, 6, 9, 15, 10);
const MINUTE = new Date(AT).toISOString().slice(0, 16);

describe('admission leases in Redis', () => {
  let server: RunningRedisServer;
  let redis: Redis;
  const open: KeyAuthenticator[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    redis = createRedisClient(server.url);
  });
  afterEach(async () => {
    for (const a of open.splice(0)) await a.close();
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  const scriptCalls = async () =>
    Number((await redis.info('commandstats')).match(/cmdstat_evalsha:calls=(\d+)/)?.[1] ?? 0);
  async function leasing(): Promise<KeyAuthenticator> {
    const before = Number(
      ((await redis.pubsub('NUMSUB', keyRevocationChannel())) as [string, number])[1],
    );
    const auth = createKeyAuthenticator({ redis, leases: true, now: () => AT });
    open.push(auth);
    await waitFor('the revocation channel is subscribed', async () => {
      const [, n] = (await redis.pubsub('NUMSUB', keyRevocationChannel())) as [string, number];
      return Number(n) > before;
    });
    return auth;
  }
  const settle = (auth: KeyAuthenticator, keyId: string, costUSD: number) =>
    auth.settle({
      key: keyId,
      route: 'chat',
      target: 'm',
      targetKind: 'model',
      reason: 'primary',
      status: 200,
      promptTokens: 5,
      completionTokens: 5,
      latencyMs: 1,
      overheadMs: 0.1,
      costUSD,
      at: AT,
    });

  it('admits a key from its lease with no Redis call, and a revocation ends the lease', async () => {
    const store = createRedisKeyStore(redis);
    const k = await store.create({ name: 'unlimited' });
    const auth = await leasing();
    await auth.authenticate(asRequest(k.key)); // takes the lease
    const before = await scriptCalls();
    for (let i = 0; i < 50; i++) await auth.authenticate(asRequest(k.key));
    expect((await scriptCalls()) - before).toBe(0);
    expect(auth.pendingAdmissions()).toBe(51); // each still settles

    await store.revoke(k.info.id);
    await waitFor(
      'the revocation ends the lease',
      async () => {
        const r = await auth.authenticate(asRequest(k.key)).then(
          () => undefined,
          (err: unknown) => err,
        );
        return r as { status?: number } | undefined;
      },
      5000,
    ).then((err) => expect(err).toMatchObject({ status: 401, code: 'invalid_api_key' }));
  });

  it('two replicas with leases never pass more than rpm, and give back what they did not use', async () => {
    const rpm = 200;
    const store = createRedisKeyStore(redis);
    const k = await store.create({ name: 'rpm', rpm });
    const [a, b] = [await leasing(), await leasing()];
    // one after the other on a: its leases grow (1, 2, 4, ... up to 5% of rpm)
    for (let i = 0; i < 30; i++) await a.authenticate(asRequest(k.key));
    const before = await scriptCalls();
    const burst = await Promise.allSettled(
      Array.from({ length: 300 }, (_, i) => (i % 2 ? a : b).authenticate(asRequest(k.key))),
    );
    const calls = (await scriptCalls()) - before;
    const passed = 30 + burst.filter((r) => r.status === 'fulfilled').length;
    const refused = burst.filter((r) => r.status === 'rejected');
    for (const r of refused) expect(r.reason).toMatchObject({ status: 429 });
    expect(passed).toBeLessThanOrEqual(rpm);
    expect(passed).toBeGreaterThan(rpm - 2 * 10); // at most a lease per replica held back
    expect(calls).toBeLessThan(300);
    await a.close();
    await b.close();
    // what the leases took and did not use is given back: the count is what passed
    expect(Number(await redis.get(rateCountKey(k.info.id, 'rpm', MINUTE)))).toBe(passed);
  });

  it('within 40 admissions of a limit, a lease holds one: every request asks Redis', async () => {
    const store = createRedisKeyStore(redis);
    const k = await store.create({ name: 'near', rpm: 45 });
    const auth = await leasing();
    const calls: number[] = [];
    for (let i = 0; i < 12; i++) {
      const before = await scriptCalls();
      await auth.authenticate(asRequest(k.key));
      calls.push((await scriptCalls()) - before);
    }
    // the first request asks for 1; then leases of 2 (a twentieth of 44, 42, 40 left), each
    // serving the next request too; from 38 left, one at a time
    expect(calls).toEqual([1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1]);
    expect(Number(await redis.get(rateCountKey(k.info.id, 'rpm', MINUTE)))).toBe(12);
  });

  it('a budget is reserved per admission a lease takes, and the unused part is given back', async () => {
    const store = createRedisKeyStore(redis);
    const k = await store.create({ name: 'budget', budget: { usd: 1, period: 'month' } });
    const auth = await leasing();
    const p = await auth.authenticate(asRequest(k.key));
    settle(auth, p.keyId, 0.01); // the key's largest cost: 0.01 from now on
    await auth.drain();
    const spendKey = keySpendKey(p.keyId, MINUTE.slice(0, 7));
    for (let i = 0; i < 20; i++) {
      await auth.authenticate(asRequest(k.key));
      settle(auth, p.keyId, 0.01);
    }
    await auth.close();
    const h = await redis.hgetall(spendKey);
    expect(Number(h.spent)).toBeCloseTo(0.21, 9);
    expect(Number(h.reserved)).toBeCloseTo(0, 9);
  });

  it('losing the revocation channel ends every lease until it is subscribed again', async () => {
    const store = createRedisKeyStore(redis);
    const k = await store.create({ name: 'channel' });
    const auth = await leasing();
    await auth.authenticate(asRequest(k.key));
    await redis.client('KILL', 'TYPE', 'pubsub');
    // the lease ended: requests go to Redis, one call each
    await waitFor('leases end with the channel', async () => {
      const before = await scriptCalls();
      await auth.authenticate(asRequest(k.key));
      return (await scriptCalls()) > before;
    });
    await waitFor('the channel is subscribed again', async () => {
      const [, n] = (await redis.pubsub('NUMSUB', keyRevocationChannel())) as [string, number];
      return Number(n) > 0;
    });
    await waitFor('leases resume', async () => {
      await auth.authenticate(asRequest(k.key));
      const before = await scriptCalls();
      await auth.authenticate(asRequest(k.key));
      return (await scriptCalls()) === before;
    });
  });
});
