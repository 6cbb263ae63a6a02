// Scenario 8 (see keys.test.ts for the whole story): a Route's closed-API budget is shared by
// two gateway replicas: self-hosted only once spent, or 429 with onExceeded: reject.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, waitFor } from '../support/stack.js';
import {
  ADMIN,
  MODEL,
  route,
  startGovernanceStack,
  type GovernanceStack,
} from './support/governance-stack.js';

describe.skipIf(!hasKubectl)('scenario 8: Route budgets across two gateway replicas', () => {
  let g: GovernanceStack;

  beforeAll(async () => {
    g = await startGovernanceStack();
  }, 240_000);

  afterAll(async () => {
    await g?.close();
  });

  it('a Route budget is shared: closed-API spend through A and B stops at the cap, then self-hosted only (or 429 with onExceeded: reject) on both', async () => {
    const { createKey, ask, closedRequestCost, usageOf, stack, A, B } = g;
    const cost = await closedRequestCost();
    // Closed API first, the Model second; a daily cap worth 2.5 closed requests.
    await stack.apply([
      route('capped', [{ provider: 'openai', model: 'gpt-5-mini' }, { model: MODEL }], {
        budgets: { dailyUSD: cost * 2.5, onExceeded: 'self-hosted-only' },
      }),
      route('capped-strict', [{ provider: 'openai', model: 'gpt-5-mini' }], {
        budgets: { dailyUSD: cost * 1.5, onExceeded: 'reject' },
      }),
    ]);
    for (const r of [A, B])
      await waitFor(
        `replica ${r.name} serves the capped Routes`,
        async () => {
          const res = await fetch(`${r.gateway}/v1/models`, {
            headers: { authorization: `Bearer ${ADMIN}` },
          });
          const ids = ((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id);
          return ids.includes('capped') && ids.includes('capped-strict');
        },
        30_000,
      );
    // A plain key (no key budget), issued on B this time.
    const key = await createKey(B, 'team-d-app', ['--tenant', 'team-d']);
    const before = stack.sims.openai!.stats().requests;
    const targets: (string | null | undefined)[] = [];
    for (let i = 0; i < 6; i++) {
      const o = await ask(i % 2 === 0 ? A : B, key.key, 'capped');
      expect(o.status).toBe(200);
      targets.push(o.target);
    }
    const closed = 'openai/gpt-5-mini';
    expect(targets).toEqual([closed, closed, closed, MODEL, MODEL, MODEL]);
    expect(stack.sims.openai!.stats().requests - before).toBe(3);

    // onExceeded: reject: two closed requests fit under 1.5 x cost, then 429 on both replicas.
    const strict = [];
    for (const r of [A, B, A, B]) strict.push(await ask(r, key.key, 'capped-strict'));
    expect(strict.map((o) => o.status)).toEqual([200, 200, 429, 429]);
    for (const o of strict.slice(2)) {
      expect(o.error!.code).toBe('route_budget_exceeded');
      expect(o.error!.message).toMatch(
        /Route 'capped-strict' has spent its daily budget of \$[\d.e-]+ on closed APIs .*resets at the start of the next day \(UTC\)/,
      );
      const retryAfter = Number(o.error!.retryAfter);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(86_400);
    }
    expect(stack.sims.openai!.stats().requests - before).toBe(5);

    // Usage by key: 10 requests (2 refused by the Route budget), 5 of them on the closed API.
    const row = await usageOf(key.id, 10);
    expect(row).toMatchObject({ requests: 10, errors: 2 });
    expect(row.costUSD).toBeCloseTo(5 * cost, 12);
  }, 90_000);
});
