// The key store's batched admission against a real redis-server: the admissions of one
// event-loop turn go in one call (ADR 0033), and one bad item in it fails only itself.
import { apiKeyRecordKey, rateCountKey } from '@bascule/keyspace';
import {
  createKeyAuthenticator,
  createRedisClient,
  createRedisKeyStore,
  hashApiKey,
  type Redis,
} from '@bascule/gateway';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';

const asRequest = (key: string) =>
  ({ headers: { authorization: `Bearer ${key}` } }) as unknown as IncomingMessage;

describe('batched admission in Redis', () => {
  let server: RunningRedisServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = createRedisClient(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('admits a turn in one call, in order, and a malformed record fails only its request', async () => {
    const store = createRedisKeyStore(redis);
    const good = await store.create({ name: 'good', rpm: 2 });
    const bad = await store.create({ name: 'bad' });
    // a record without its id: the script errors on it
    await redis.hdel(apiKeyRecordKey(hashApiKey(bad.key)), 'id');
    const at = Date.now(); // one instant for the whole turn (no minute boundary in between)
    const auth = createKeyAuthenticator({ redis, now: () => at });
    const before = Number(
      (await redis.info('commandstats')).match(/cmdstat_evalsha:calls=(\d+)/)?.[1] ?? 0,
    );
    const results = await Promise.allSettled([
      auth.authenticate(asRequest(good.key)),
      auth.authenticate(asRequest(bad.key)),
      auth.authenticate(asRequest(good.key)),
      auth.authenticate(asRequest(good.key)),
    ]);
    const after = Number(
      (await redis.info('commandstats')).match(/cmdstat_evalsha:calls=(\d+)/)?.[1] ?? 0,
    );
    expect(after - before).toBe(1); // one call for the four
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
    ]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/admission script failed/);
    // rpm 2: the first two of the good key's three pass, in the order they were asked
    expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ status: 429 });
    const minute = new Date(at).toISOString().slice(0, 16);
    expect(Number(await redis.get(rateCountKey(good.info.id, 'rpm', minute)))).toBe(2);
  });

  it('a settle with a number Redis cannot take does not fail the admissions it rides with', async () => {
    const store = createRedisKeyStore(redis);
    const k = await store.create({ name: 'settled' });
    const auth = createKeyAuthenticator({ redis });
    const p = await auth.authenticate(asRequest(k.key));
    auth.settle({
      key: p.keyId,
      route: 'chat',
      target: 'm',
      targetKind: 'model',
      reason: 'primary',
      status: 200,
      promptTokens: Number.POSITIVE_INFINITY,
      completionTokens: 3,
      latencyMs: 1,
      overheadMs: 0.1,
      costUSD: 0.001,
      at: Date.now(),
    });
    await expect(auth.authenticate(asRequest(k.key))).resolves.toMatchObject({ keyId: p.keyId });
  });
});
