// Calibration by share across gateway replicas: two gateways on one Redis score window route a
// Route with `complexity: { strongShare: 0.25 }`; the share of requests sent to the complex
// tier holds over both, every response says the score, the threshold in force and the tier,
// and the Redis window store keeps concurrent replicas' entries without loss.
import { routeScoresKey, routeScoresPattern } from '@bascule/keyspace';
import {
  createRedisClient,
  createRedisScoreWindowStore,
  type Redis,
  type WindowEntry,
} from '@bascule/gateway';
import type { RunningProviderSim } from '@bascule/provider-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { variedPrompts } from '../../packages/router/src/testing/varied-prompts.js';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { providerResource, routeResource } from './support/fixtures.js';
import { startProviders, startTestGateway, type TestGateway } from './support/harness.js';

const SHARE = 0.25;
const REQUESTS = 400;

describe('calibrated complexity routing across two gateways', () => {
  let openai: RunningProviderSim;
  let server: RunningRedisServer;
  let redis: Redis[];
  let gateways: TestGateway[];

  beforeAll(async () => {
    openai = (await startProviders(['openai'])).openai;
    server = await startRedisServer();
    redis = [createRedisClient(server.url), createRedisClient(server.url)];
    gateways = await Promise.all(
      redis.map((r) =>
        startTestGateway({
          providers: [providerResource('openai', 'openai', openai.url, ['gpt-5', 'gpt-5-mini'])],
          routes: [
            routeResource('share', {
              strategy: 'complexity',
              complexity: { strongShare: SHARE },
              targets: [
                { provider: 'openai', model: 'gpt-5-mini', tier: 'simple' },
                { provider: 'openai', model: 'gpt-5', tier: 'complex' },
              ],
            }),
          ],
          extra: { scoreWindows: createRedisScoreWindowStore({ redis: r }) },
        }),
      ),
    );
  });
  afterAll(async () => {
    for (const g of gateways ?? []) await g.close();
    for (const r of redis ?? []) r.disconnect();
    await server?.stop();
    await openai?.close();
  });

  it('holds the strong share over both replicas and says why in the headers', async () => {
    const prompts = variedPrompts(REQUESTS, 5);
    const seen: { target: string | null; tier: string | null; threshold: string | null }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        const i = next++;
        const { response } = await gateways[i % 2]!.client.chat.completions.create({
          model: 'share',
          messages: [{ role: 'user', content: prompts[i]! }],
          max_tokens: 2,
        }).withResponse();
        expect(Number(response.headers.get('x-bascule-complexity'))).toBeGreaterThanOrEqual(0);
        seen[i] = {
          target: response.headers.get('x-bascule-target'),
          tier: response.headers.get('x-bascule-complexity-tier'),
          threshold: response.headers.get('x-bascule-complexity-threshold'),
        };
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));

    // The tier decides the target, and the share of the complex tier holds.
    for (const s of seen)
      expect(s.target).toBe(s.tier === 'complex' ? 'openai/gpt-5' : 'openai/gpt-5-mini');
    const strong = seen.filter((s) => s.tier === 'complex').length / REQUESTS;
    expect(Math.abs(strong - SHARE)).toBeLessThanOrEqual(0.05);
    // Warm-up first, then thresholds from the shared window.
    expect(seen[0]!.threshold).toMatch(/^0\.5; source=warm-up; samples=0$/);
    const last = seen[REQUESTS - 1]!.threshold!;
    expect(last).toMatch(/^[0-9.]+; source=share; share=0\.\d{3}; samples=\d+/);
    expect(Number(/samples=(\d+)/.exec(last)![1])).toBeGreaterThan(REQUESTS / 2);

    // Every decision of both replicas is in the one Redis window.
    for (const g of gateways) await g.gateway.calibrator.flush();
    const keys = await redis[0]!.keys(routeScoresPattern('default/share'));
    // One window per Route and scorer (the gateway's default scorer here).
    expect(keys).toHaveLength(1);
    expect(await redis[0]!.llen(keys[0]!)).toBe(REQUESTS);
  }, 60_000);

  it('the Redis window store merges concurrent replicas without loss, capped at the window', async () => {
    const [a, b] = redis.map((r) => createRedisScoreWindowStore({ redis: r }));
    const key = 'default/store-test:t';
    const batch = (replica: number, n: number): WindowEntry[] =>
      Array.from({ length: 10 }, (_, i) => ({
        score: (replica * 1000 + n * 10 + i) / 1e6,
        complex: i % 3 === 0,
      }));
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, n) => {
        const own = batch(n % 2, n);
        return (n % 2 === 0 ? a! : b!).exchange(key, own, 500).then((w) => ({ own, w }));
      }),
    );
    // Each replica's exchange returns a window that holds its own entries.
    for (const { own, w } of results) for (const e of own) expect(w).toContainEqual(e);
    const all = await a!.exchange(key, [], 500);
    expect(all.length).toBe(400);
    expect(new Set(all.map((e) => e.score)).size).toBe(400);
    expect(all.filter((e) => e.complex).length).toBe(40 * 4);
    // Past the window only the oldest entries go.
    const more = Array.from({ length: 200 }, (_, i) => ({ score: 0.5 + i / 1e6, complex: false }));
    const capped = await b!.exchange(key, more, 500);
    expect(capped.length).toBe(500);
    expect(capped.slice(-200)).toEqual(more);
    expect(await redis[0]!.ttl(routeScoresKey(key))).toBeGreaterThan(86_400);
  });
});
