import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScalableModel } from '@bascule/autoscaler';
import { gatewaysKey } from '@bascule/autoscaler';
import { readGatewayCounts } from '@bascule/autoscaler/io';
import { queuedJobsDemand, withGatewayDemand } from '@bascule/control-plane';
import { createRedisUsageSink, nullUsageSink } from '@bascule/gateway';
import { QueueContext, createLocalFileStorage } from '@bascule/queue';
import type { Route } from '@bascule/spec';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RunningRedisServer } from '../../support/redis-server.js';

/** The gateway's demand reports and the queue's depth, read back the way the autoscaler reads them. */
describe('autoscaler demand from the gateway and the queue', () => {
  let server: RunningRedisServer;
  let redis: Redis;
  let dir: string;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    dir = mkdtempSync(join(tmpdir(), 'bsc-demand-'));
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the serve gateway sink writes what readGatewayCounts reads, with a heartbeat', async () => {
    let now = 1_000_000;
    const sink = withGatewayDemand(nullUsageSink, { redis, gatewayId: 'gw-a', now: () => now });
    sink.reportInFlight!(new Map([['llama', 3]]));
    await sink.flush();
    expect(await readGatewayCounts(redis, 'llama', { now: () => now })).toEqual({
      inFlight: 3,
      overflow: 0,
    });
    expect(await redis.hget(gatewaysKey(), 'gw-a')).toBe(String(now));
    // The Model is no longer in flight: its count drops at once.
    now += 1000;
    sink.reportInFlight!(new Map());
    await sink.flush();
    expect((await readGatewayCounts(redis, 'llama', { now: () => now })).inFlight).toBe(0);
    await sink.close();
  });

  it('requests that overflowed away from a Model count as its overflow demand until they end', async () => {
    let now = 2_000_000;
    const sink = withGatewayDemand(nullUsageSink, { redis, gatewayId: 'gw-o', now: () => now });
    sink.reportInFlight!(new Map(), new Map([['mistral', 2]]));
    await sink.flush();
    expect(await readGatewayCounts(redis, 'mistral', { now: () => now })).toEqual({
      inFlight: 0,
      overflow: 2,
    });
    now += 1000;
    sink.reportInFlight!(new Map(), new Map());
    await sink.flush();
    expect((await readGatewayCounts(redis, 'mistral', { now: () => now })).overflow).toBe(0);
    await sink.close();
  });

  it('the in-flight keys have one writer: the usage sink leaves them to the demand sink (ADR 0027)', async () => {
    const usage = createRedisUsageSink({ redis, gatewayId: 'gw-b', flushMs: 60_000 });
    expect('reportInFlight' in usage).toBe(false);
    const sink = withGatewayDemand(usage, { redis, gatewayId: 'gw-b' });
    sink.reportInFlight!(new Map([['qwen', 2]]));
    await sink.flush();
    expect((await readGatewayCounts(redis, 'qwen')).inFlight).toBe(2);
    await sink.close();
  });

  it('queued jobs of a Model and of the Routes leading to it count as its demand', async () => {
    const ctx = new QueueContext({ redisUrl: server.url, storage: createLocalFileStorage(dir) });
    try {
      const add = (target: string, n: number) =>
        ctx
          .queue(target)
          .addBulk(Array.from({ length: n }, () => ({ name: 'j', data: {} as never })));
      await add('small', 2);
      await add('chat', 3);
      await add('other-route', 5);
      const route = (name: string, targets: Route['spec']['targets']): Route =>
        ({
          apiVersion: 'bascule.dev/v1alpha1',
          kind: 'Route',
          metadata: { name, namespace: 'default' },
          spec: { targets },
        }) as unknown as Route;
      const routes = [
        route('chat', [{ model: 'small' }, { provider: 'openai', model: 'gpt-5-mini' }]),
        route('other-route', [{ provider: 'openai', model: 'x' }, { model: 'big' }]),
      ];
      const demand = queuedJobsDemand(ctx, () => routes);
      const model = (name: string) => ({ ref: { namespace: 'default', name } }) as ScalableModel;
      expect(await demand(model('small'))).toBe(5);
      expect(await demand(model('big'))).toBe(5);
      expect(await demand(model('idle'))).toBe(0);
      expect(await queuedJobsDemand(ctx, () => undefined)(model('small'))).toBe(2);
    } finally {
      await ctx.close();
    }
  });
});
