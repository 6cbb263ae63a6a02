// Scenario 9a, calibration by share: a Route says `complexity: { strongShare: 0.3 }` instead of a
// threshold, and 30 % of its traffic goes to the strong target whatever the scores look like.
// Two gateway replicas share the Route's recent scores through Redis; both tiers are provider
// models (provider-sims answer at once), so 1,000 requests through the official openai SDK
// take seconds. The test counts where they went (x-bascule-target), checks that the
// threshold in force came from the shared window (x-bascule-complexity-threshold, the Redis list
// and `bascule route explain`), and that the share held on both replicas.
import { routeScoresPattern } from '@bascule/keyspace';
import type { Redis } from 'ioredis';
import { createRedisClient } from '@bascule/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bascule } from '../support/bascule.js';
import {
  hasKubectl,
  routeDoc,
  startStack,
  waitFor,
  type Serve,
  type Stack,
} from '../support/stack.js';
import { variedPrompts } from '../../../packages/router/src/testing/varied-prompts.js';

const ROUTE = 'share';
const WEAK = 'openai/gpt-5-mini';
const STRONG = 'openai/gpt-5';
const ADMIN_KEY = 'bsc-e2e-calibration-admin-key-000';
const REQUESTS = 1000;
const CONCURRENCY = 8;

interface Sent {
  replica: number;
  target: string | null;
  threshold: string | null;
  complexity: number;
}

describe.skipIf(!hasKubectl)(
  'scenario 9a: strongShare holds the strong share on live traffic',
  () => {
    let stack: Stack;
    let a: Serve;
    let b: Serve;
    let redis: Redis;

    beforeAll(async () => {
      stack = await startStack({ nodes: 'l4:1x1', providers: { openai: {} } });
      await stack.apply(
        routeDoc(ROUTE, {
          strategy: 'complexity',
          complexity: { strongShare: 0.3 },
          targets: [
            { provider: 'openai', model: 'gpt-5-mini', tier: 'simple' },
            { provider: 'openai', model: 'gpt-5', tier: 'complex' },
          ],
        }),
      );
      a = await stack.serve({
        roles: 'gateway,api',
        env: { BASCULE_ADMIN_KEY: ADMIN_KEY, BASCULE_AUTH: 'none' },
      });
      b = await stack.serve({ roles: 'gateway' });
      redis = createRedisClient(stack.redis.url);
      // Both gateways know the Route (their watches have synced) before the first request.
      for (const s of [a, b])
        await waitFor(
          'the gateway lists the Route',
          async () => {
            const body = (await (await fetch(`${s.gateway}/v1/models`)).json()) as {
              data: { id: string }[];
            };
            return body.data.some((m) => m.id === ROUTE);
          },
          30_000,
        );
    }, 120_000);

    afterAll(async () => {
      redis?.disconnect();
      await stack?.close();
    });

    it('sends 30 % ± 3 % of 1,000 varied requests to the strong target, across two replicas', async () => {
      const prompts = variedPrompts(REQUESTS);
      const clients = [stack.openai(a.gateway!), stack.openai(b.gateway!)];
      const sent = new Array<Sent>(REQUESTS);
      let next = 0;
      const worker = async () => {
        while (next < REQUESTS) {
          const i = next++;
          const replica = i % 2;
          const { response } = await clients[replica]!.chat.completions.create(
            { model: ROUTE, messages: [{ role: 'user', content: prompts[i]! }], max_tokens: 4 },
            { timeout: 30_000 },
          ).withResponse();
          sent[i] = {
            replica,
            target: response.headers.get('x-bascule-target'),
            threshold: response.headers.get('x-bascule-complexity-threshold'),
            complexity: Number(response.headers.get('x-bascule-complexity')),
          };
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));

      expect(sent.every((s) => s.target === WEAK || s.target === STRONG)).toBe(true);
      const strong = sent.filter((s) => s.target === STRONG).length;
      expect(Math.abs(strong / REQUESTS - 0.3)).toBeLessThanOrEqual(0.03);
      // The share held on each replica too (each served half), not only on their sum.
      for (const replica of [0, 1]) {
        const mine = sent.filter((s) => s.replica === replica);
        const share = mine.filter((s) => s.target === STRONG).length / mine.length;
        expect(Math.abs(share - 0.3)).toBeLessThanOrEqual(0.06);
      }
      // The scores are spread (no degenerate all-equal case), and the threshold came from the
      // window after the first few requests.
      expect(new Set(sent.map((s) => s.complexity)).size).toBeGreaterThan(50);
      const sources = sent.map((s) => /source=(\w[\w-]*)/.exec(s.threshold ?? '')?.[1]);
      expect(sources.slice(0, 8)).toContain('warm-up');
      expect(sources.slice(-500).every((s) => s === 'share')).toBe(true);
      // Both replicas' decisions are in the one shared window.
      const [key, ...others] = await redis.keys(routeScoresPattern(`default/${ROUTE}`));
      expect(others).toEqual([]);
      await waitFor(
        'every decision in the shared window',
        async () => (await redis.llen(key!)) === REQUESTS,
        10_000,
      );
    }, 120_000);

    it('`bascule route explain` shows the probability and the threshold in force from the shared window', async () => {
      const r = await bascule(a.api!, ADMIN_KEY, [
        'route',
        'explain',
        ROUTE,
        '--prompt',
        'Prove that the sum of the first 10 odd numbers is a perfect square.',
        '-o',
        'json',
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as {
        request: { complexity: number };
        decision: { target: string };
        explanation: {
          threshold: { source: string; samples: number; value: number };
          tier: string;
        };
      };
      expect(out.explanation.threshold).toMatchObject({ source: 'share', samples: REQUESTS });
      expect(out.explanation.tier).toMatch(/^(simple|complex)$/);
      expect(out.decision.target).toBe(out.explanation.tier === 'complex' ? STRONG : WEAK);
      const table = await bascule(a.api!, ADMIN_KEY, [
        'route',
        'explain',
        ROUTE,
        '--prompt',
        'Hi there!',
      ]);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(
        /threshold: [0-9.]+ \(strongShare: aiming at [0-9.]+ % of 1000 recent scores, [0-9.]+ % went complex[^)]*\): (simple|complex) tier/,
      );
    }, 60_000);
  },
);
