import type { Budgets } from '@bascule/spec';
import { GatewayError } from '../errors/gateway-error.js';
import type { RouteSpend } from './route-budget-ledger.js';

export type RouteBudgetVerdict = 'ok' | 'self-hosted-only';

/**
 * Applies a Route's `budgets` to its spend so far: 'ok' while under every limit; once a limit
 * is reached, 'self-hosted-only' (Providers are filtered out, Models keep serving) or, with
 * `onExceeded: reject`, a 429 that names the Route, the limit, the spend and when it resets.
 */
export function checkRouteBudget(
  route: string,
  budgets: Budgets,
  spend: RouteSpend,
  at: Date,
): RouteBudgetVerdict {
  // When both are spent the month's limit is the one that holds longer: report it.
  const over =
    budgets.monthlyUSD !== undefined && spend.month >= budgets.monthlyUSD
      ? { period: 'month' as const, limit: budgets.monthlyUSD, spent: spend.month }
      : budgets.dailyUSD !== undefined && spend.day >= budgets.dailyUSD
        ? { period: 'day' as const, limit: budgets.dailyUSD, spent: spend.day }
        : undefined;
  if (!over) return 'ok';
  if (budgets.onExceeded === 'self-hosted-only') return 'self-hosted-only';
  const reset =
    over.period === 'day'
      ? Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1)
      : Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
  throw new GatewayError({
    status: 429,
    code: 'route_budget_exceeded',
    param: 'model',
    message: `Route '${route}' has spent its ${over.period === 'day' ? 'daily' : 'monthly'} budget of $${over.limit} on closed APIs ($${over.spent.toFixed(4)} used; onExceeded: reject); it resets at the start of the next ${over.period} (UTC)`,
    headers: { 'retry-after': String(Math.max(1, Math.ceil((reset - at.getTime()) / 1000))) },
  });
}
