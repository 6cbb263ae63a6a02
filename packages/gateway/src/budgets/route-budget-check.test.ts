import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import { checkRouteBudget } from './route-budget-check.js';
import { createMemoryRouteBudgetLedger } from './route-budget-ledger.js';

const at = new Date('2026-11-28T23:59:30Z');

describe('checkRouteBudget', () => {
  it('is ok under every limit, and at a limit either filters providers or rejects', () => {
    const daily = { dailyUSD: 10, onExceeded: 'self-hosted-only' as const };
    expect(checkRouteBudget('chat', daily, { day: 9.99, month: 50 }, at)).toBe('ok');
    expect(checkRouteBudget('chat', daily, { day: 10, month: 50 }, at)).toBe('self-hosted-only');
    const monthly = { monthlyUSD: 100, onExceeded: 'self-hosted-only' as const };
    expect(checkRouteBudget('chat', monthly, { day: 99, month: 99 }, at)).toBe('ok');
    expect(checkRouteBudget('chat', monthly, { day: 0, month: 100 }, at)).toBe('self-hosted-only');
  });

  it('rejects with 429, the Route, the limit, the spend and the seconds to the reset', () => {
    let err: unknown;
    try {
      checkRouteBudget('chat', { dailyUSD: 5, onExceeded: 'reject' }, { day: 5.5, month: 6 }, at);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GatewayError);
    const g = err as GatewayError;
    expect(g.status).toBe(429);
    expect(g.code).toBe('route_budget_exceeded');
    expect(g.message).toBe(
      "Route 'chat' has spent its daily budget of $5 on closed APIs ($5.5000 used; onExceeded: reject); it resets at the start of the next day (UTC)",
    );
    expect(g.headers['retry-after']).toBe('30');
    const monthly = () =>
      checkRouteBudget('chat', { monthlyUSD: 5, onExceeded: 'reject' }, { day: 0, month: 5 }, at);
    expect(monthly).toThrow(/monthly budget of \$5/);
    // Both spent: the month's limit holds longer, so that is the one reported.
    let both: unknown;
    try {
      checkRouteBudget(
        'chat',
        { dailyUSD: 1, monthlyUSD: 5, onExceeded: 'reject' },
        { day: 1.2, month: 5.5 },
        at,
      );
    } catch (e) {
      both = e;
    }
    expect((both as GatewayError).message).toMatch(/monthly budget of \$5 .*next month/);
    expect((both as GatewayError).headers['retry-after']).toBe(String(2 * 86_400 + 30));
  });
});

describe('createMemoryRouteBudgetLedger', () => {
  it('adds spend to the day and month of the answer, per Route', async () => {
    const ledger = createMemoryRouteBudgetLedger();
    ledger.add('chat', 1.5, at);
    ledger.add('chat', 0.5, new Date('2026-11-02T00:00:00Z'));
    ledger.add('other', 9, at);
    expect(await ledger.spent('chat', at)).toEqual({ day: 1.5, month: 2 });
    expect(await ledger.spent('chat', new Date('2026-12-01T00:00:00Z'))).toEqual({
      day: 0,
      month: 0,
    });
  });
});
