// The learning loop's shared state on a real redis-server: versioned weights (concurrent
// writers, history, rollback), the shadow spend reservation (never above the cap) and the
// remembered outcomes (one grade per request).
import { learnBufferKey, learnRequestKey, learnWeightsKey } from '@bascule/keyspace';
import {
  applyExamples,
  createRedisClient,
  createRedisOutcomeStore,
  createRedisShadowSpend,
  createRedisWeightsStore,
  defaultLearningScorerFactory,
  HISTORY,
  type WeightsStore,
} from '@bascule/gateway';
import { DEFAULT_ROUTER_MODEL, samplePrompt } from '@bascule/router';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';

const hard = (i: number) =>
  samplePrompt([{ role: 'user', content: `Derive the Galois group ${i} with proof.` }]);

describe('learning state in Redis', () => {
  let server: RunningRedisServer;
  let redis: Redis;
  let stores: WeightsStore[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    redis = createRedisClient(server.url);
  });
  afterAll(async () => {
    for (const s of stores) s.close();
    redis.disconnect();
    await server.stop();
  });

  it('concurrent writers (two API replicas) never lose an update; each example is a version', async () => {
    stores = [createRedisWeightsStore(redis), createRedisWeightsStore(redis)];
    const writes = Array.from({ length: 40 }, (_, i) =>
      applyExamples(
        stores[i % 2]!,
        defaultLearningScorerFactory,
        'ns/a',
        [{ sample: hard(i), label: 1 }],
        'shadow',
      ),
    );
    const versions = (await Promise.all(writes)).map((v) => v.version).sort((x, y) => x - y);
    expect(versions).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const cur = await stores[0]!.current('ns/a');
    // The learner saw all 40 examples, in some order.
    expect(cur?.state?.version).toBe(40);
    const s = defaultLearningScorerFactory(cur!.state!);
    expect(s.score(hard(1000))).toBeGreaterThan(defaultLearningScorerFactory().score(hard(1000)));
  });

  it('keeps the last HISTORY versions, rolls back to one of them or to the prior as a new version', async () => {
    const store = stores[0]!;
    const route = 'ns/b';
    for (let i = 0; i < HISTORY + 5; i++)
      await applyExamples(
        store,
        defaultLearningScorerFactory,
        route,
        [{ sample: hard(i), label: 1 }],
        'feedback',
      );
    const history = await store.history(route);
    expect(history).toHaveLength(HISTORY);
    expect(history[0]).toMatchObject({ version: HISTORY + 5, source: 'feedback', examples: 1 });
    expect(history.at(-1)!.version).toBe(6);
    await expect(store.rollback(route, 3)).rejects.toThrow(
      `ns/b has no stored version 3 (versions kept: the last ${HISTORY})`,
    );
    const back = await store.rollback(route);
    expect(back).toMatchObject({ version: HISTORY + 6, source: `rollback:${HISTORY + 4}` });
    expect(back.state?.version).toBe(HISTORY + 4);
    const prior = await store.rollback(route, 0);
    expect(prior).toMatchObject({ version: HISTORY + 7, source: 'rollback:0', state: null });
    expect(await store.version(route)).toBe(HISTORY + 7);
    await expect(store.rollback('ns/none')).rejects.toThrow('ns/none has no learned weights yet');
  });

  it('keeps the refit buffer apart from the versions: appended, refitted on, dropped by a rollback', async () => {
    const store = stores[0]!;
    const route = 'ns/buf';
    const easy = (i: number) =>
      samplePrompt([{ role: 'user', content: `Say hello to my friend number ${i}.` }]);
    const examples = Array.from({ length: 60 }, (_, i) => ({
      sample: i % 2 ? hard(i) : easy(i),
      label: (i % 2) as 0 | 1,
    }));
    const v1 = await applyExamples(store, defaultLearningScorerFactory, route, examples, 'shadow');
    expect(v1).toMatchObject({ version: 1, examples: 60, bufferTotal: 60 });
    // The version every gateway reloads has no buffer and stays small; the buffer has them all.
    const stored = await redis.hget(learnWeightsKey(route), 'state');
    expect(JSON.parse(stored!)).not.toHaveProperty('buffer');
    expect(stored!.length).toBeLessThan(20_000);
    expect(await redis.llen(learnBufferKey(route))).toBe(60);
    // 50 buffered outcomes made the learner refit on them (an L2 strength was chosen).
    expect((v1.state as { refitL2?: unknown }).refitL2).toBeDefined();
    expect((v1.state as { sinceRefit?: number }).sinceRefit).toBe(10);

    const v2 = await applyExamples(
      store,
      defaultLearningScorerFactory,
      route,
      examples.slice(0, 5),
      'feedback',
    );
    expect(v2).toMatchObject({ version: 2, bufferTotal: 65 });
    expect(await redis.llen(learnBufferKey(route))).toBe(65);
    // The writer sees the stored buffer: the learner counts outcomes since its refit across writes.
    expect((v2.state as { sinceRefit?: number }).sinceRefit).toBe(15);

    // Rolling back the weights drops the outcomes buffered since that version too.
    const back = await store.rollback(route, 1);
    expect(back).toMatchObject({ version: 3, source: 'rollback:1', bufferTotal: 60 });
    expect(await redis.llen(learnBufferKey(route))).toBe(60);
    const prior = await store.rollback(route, 0);
    expect(prior).toMatchObject({ version: 4, state: null, bufferTotal: 0 });
    expect(await redis.llen(learnBufferKey(route))).toBe(0);
  });

  it('weights learned on another prior version are not applied: the Route starts again from this prior', async () => {
    const store = stores[0]!;
    const route = 'ns/old';
    const learned = await applyExamples(
      store,
      defaultLearningScorerFactory,
      route,
      Array.from({ length: 10 }, (_, i) => ({ sample: hard(i), label: 1 as const })),
      'feedback',
    );
    // As if version 1 had been written by a gateway shipping another prior.
    const old = { ...learned.state!, priorVersion: '0.9.0' };
    await redis.hset(learnWeightsKey(route), 'state', JSON.stringify(old));
    const prior = defaultLearningScorerFactory();
    // Readers (every gateway) score with this prior instead of failing on the old weights.
    expect(defaultLearningScorerFactory(old).score(hard(1))).toBe(prior.score(hard(1)));
    // The next writer starts over: fresh weights on this prior, a new buffer.
    const next = await applyExamples(
      store,
      defaultLearningScorerFactory,
      route,
      [{ sample: hard(99), label: 1 }],
      'feedback',
    );
    expect(next).toMatchObject({ version: 2, bufferTotal: 1 });
    expect(next.state).toMatchObject({ version: 1, priorVersion: DEFAULT_ROUTER_MODEL.version });
    expect(await redis.llen(learnBufferKey(route))).toBe(1);
  });

  it('a reservation that would pass the cap is refused; settling brings the counter to the cost', async () => {
    const spend = createRedisShadowSpend(redis);
    const at = new Date('2026-12-05T12:00:00Z');
    // 20 workers reserve 0.3 each at once against a cap of 1: exactly 3 fit.
    const got = await Promise.all(
      Array.from({ length: 20 }, () => spend.reserve('ns/c', 0.3, 1, at)),
    );
    expect(got.filter(Boolean)).toHaveLength(3);
    expect(await spend.spent('ns/c', at)).toBeCloseTo(0.9, 10);
    await spend.settle('ns/c', 0.05 - 0.3, at);
    expect(await spend.spent('ns/c', at)).toBeCloseTo(0.65, 10);
    expect(await spend.reserve('ns/c', 0.3, 1, at)).toBe(true);
    expect(await spend.reserve('ns/c', 0.1, 1, at)).toBe(false);
    expect(await spend.spent('ns/c', new Date('2026-12-06T00:00:00Z'))).toBe(0);
  });

  it('remembers a served request for its TTL and takes one grade', async () => {
    const outcomes = createRedisOutcomeStore(redis);
    const o = {
      requestId: 'req_1',
      route: 'ns/a',
      target: 'small',
      tier: 'simple' as const,
      score: 0.3,
      sample: hard(1),
      key: 'key_1',
      at: 1,
    };
    await outcomes.remember(o, 60_000);
    expect(await outcomes.get('req_1')).toEqual(o);
    expect(await redis.pttl(learnRequestKey('req_1'))).toBeGreaterThan(50_000);
    expect(await outcomes.claimGrade('req_1', 60_000)).toBe(true);
    expect(await outcomes.claimGrade('req_1', 60_000)).toBe(false);
    expect(await outcomes.get('req_2')).toBeUndefined();
  });
});
