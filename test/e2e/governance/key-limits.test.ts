// Scenario 8 (see keys.test.ts for the whole story): a key's rpm limit and USD budget are
// shared by two gateway replicas, and usage per key counts every request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, waitFor } from '../support/stack.js';
import {
  MODEL,
  OUTPUT_TOKENS,
  startGovernanceStack,
  type Outcome,
  type GovernanceStack,
} from './support/governance-stack.js';

describe.skipIf(!hasKubectl)(
  'scenario 8: key limits and budgets across two gateway replicas',
  () => {
    let g: GovernanceStack;

    beforeAll(async () => {
      g = await startGovernanceStack();
    }, 240_000);

    afterAll(async () => {
      await g?.close();
    });

    it('an rpm limit is shared: a burst split over A and B passes exactly the limit in one minute, then 429 with retry-after', async () => {
      const { createKey, ask, usageOf, A, B } = g;
      const RPM = 6;
      const SENT = 10;
      // The window is a UTC minute. A burst that straddles a minute boundary could pass up to twice
      // the limit, so such an attempt is discarded and repeated with a fresh key (it is rare: the
      // burst takes well under a second, and one starting in a minute's last 5 s waits it out).
      for (let attempt = 1; ; attempt++) {
        await waitFor(
          'not the last seconds of a minute',
          () => new Date().getUTCSeconds() < 55,
          10_000,
        );
        const key = await createKey(A, `team-a-app-${attempt}`, [
          '--tenant',
          'team-a',
          '--rpm',
          String(RPM),
        ]);
        expect(key.rpm).toBe(RPM);
        const minute = new Date().toISOString().slice(0, 16);
        const outcomes = await Promise.all(
          Array.from({ length: SENT }, (_, i) => ask(i % 2 === 0 ? A : B, key.key, 'local')),
        );
        if (new Date().toISOString().slice(0, 16) !== minute && attempt < 3) continue;
        const ok = outcomes.filter((o) => o.status === 200);
        const limited = outcomes.filter((o) => o.status === 429);
        expect(ok).toHaveLength(RPM);
        expect(limited).toHaveLength(SENT - RPM);
        // Each replica refused some and admitted some: the count is one, not one per replica.
        for (const r of [0, 1]) {
          expect(outcomes.filter((o, i) => i % 2 === r && o.status === 200).length).toBeGreaterThan(
            0,
          );
        }
        for (const o of limited) {
          const err = o.error!;
          expect(err.code).toBe('rate_limit_requests');
          expect(err.type).toBe('rate_limit_error');
          expect(err.message).toMatch(/rpm limit is reached; retry after \d+ s/);
          const retryAfter = Number(err.retryAfter);
          expect(retryAfter).toBeGreaterThanOrEqual(1);
          expect(retryAfter).toBeLessThanOrEqual(60);
        }
        // Usage: every request under the key (the refused ones as errors), over both replicas.
        const row = await usageOf(key.id, SENT);
        expect(row).toMatchObject({
          requests: SENT,
          errors: SENT - RPM,
          keyName: `team-a-app-${attempt}`,
        });
        return;
      }
    }, 90_000);

    it('a budget is shared: closed-API spend through A and B adds up; once spent the key gets 402 on both and the closed API is not called', async () => {
      const { createKey, ask, closedRequestCost, usageOf, stack, A, B } = g;
      const cost = await closedRequestCost();
      // Worth 2.5 requests: admitted while spent < budget, so exactly 3 pass.
      const budget = cost * 2.5;
      const key = await createKey(A, 'team-b-app', [
        '--tenant',
        'team-b',
        '--budget',
        String(budget),
        '--period',
        'day',
      ]);
      expect(key.budget).toEqual({ usd: budget, period: 'day' });

      // Self-hosted traffic spends nothing (the Model has no gpuHourUSD): not counted against it.
      for (const r of [A, B]) {
        const o = await ask(r, key.key, 'local');
        expect([o.status, o.target]).toEqual([200, MODEL]);
      }
      // Closed-API requests alternate between the replicas until the budget refuses one.
      const before = stack.sims.openai!.stats().requests;
      const statuses: number[] = [];
      let refused: Outcome['error'];
      for (let i = 0; i < 8 && !refused; i++) {
        const o = await ask(i % 2 === 0 ? A : B, key.key, 'frontier');
        statuses.push(o.status);
        if (o.status === 200) expect(o.target).toBe('openai/gpt-5-mini');
        else refused = o.error;
      }
      expect(statuses).toEqual([200, 200, 200, 402]);
      expect(stack.sims.openai!.stats().requests - before).toBe(3);
      expect(refused!.code).toBe('budget_exceeded');
      expect(refused!.type).toBe('insufficient_quota');
      expect(refused!.message).toMatch(
        /budget of \$[\d.e-]+ for \d{4}-\d{2}-\d{2} is spent \(\$[\d.]+ used\); it resets at the start of the next day \(UTC\)/,
      );
      // ...on both replicas, with retry-after to the next UTC day; nothing more reaches the provider.
      for (const r of [A, B]) {
        const o = await ask(r, key.key, 'frontier');
        expect(o.status).toBe(402);
        expect(o.error!.code).toBe('budget_exceeded');
        const retryAfter = Number(o.error!.retryAfter);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(86_400);
      }
      expect(stack.sims.openai!.stats().requests - before).toBe(3);
      // A key's budget has no self-hosted-only mode (that exists only in the router, unset by the
      // gateway): a spent key is refused for self-hosted Routes too.
      expect((await ask(B, key.key, 'local')).status).toBe(402);

      // Usage: 2 self-hosted + 3 closed requests served, 4 refused (counted under the key as
      // errors, with no tokens), and exactly the closed requests' cost.
      const row = await usageOf(key.id, 9);
      expect(row).toMatchObject({ requests: 9, errors: 4 });
      expect(row.outputTokens).toBe(5 * OUTPUT_TOKENS);
      expect(row.costUSD).toBeCloseTo(3 * cost, 12);
      expect(row.costUSD).toBeGreaterThan(budget);
    }, 90_000);
  },
);
