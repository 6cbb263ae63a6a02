import { DEFAULT_PREFIX, routeSpendKey } from '@bascule/keyspace';
import type { Redis } from 'ioredis';

/** Closed-API spend of one Route in the current UTC day and month, in USD. */
export interface RouteSpend {
  day: number;
  month: number;
}

/**
 * Where Route budgets are counted. The gateway reads a Route's spend before routing a request
 * through a Route that has `budgets`, and adds what each closed-API answer cost once it is
 * metered. Spend is settled after the answer, so requests already in flight when a budget runs
 * out may overshoot it by their own cost (as with key budgets).
 */
export interface RouteBudgetLedger {
  spent(route: string, at: Date): Promise<RouteSpend>;
  add(route: string, usd: number, at: Date): void;
}

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const monthOf = (at: Date) => at.toISOString().slice(0, 7);

/** One process's own count: right for a single gateway replica (and for tests). */
export function createMemoryRouteBudgetLedger(): RouteBudgetLedger {
  const totals = new Map<string, number>();
  return {
    spent: (route, at) =>
      Promise.resolve({
        day: totals.get(`${route}:${dayOf(at)}`) ?? 0,
        month: totals.get(`${route}:${monthOf(at)}`) ?? 0,
      }),
    add(route, usd, at) {
      for (const k of [`${route}:${dayOf(at)}`, `${route}:${monthOf(at)}`])
        totals.set(k, (totals.get(k) ?? 0) + usd);
    },
  };
}

export interface RedisRouteBudgetLedgerOptions {
  redis: Redis;
  prefix?: string;
  /** A failed read (the budget is not enforced for that request) or write (that spend is lost). */
  onError?: (err: unknown, op: 'read' | 'write') => void;
}

/**
 * Spend in Redis, shared by every gateway replica: keyspace routeSpendKey(route, YYYY-MM-DD)
 * and routeSpendKey(route, YYYY-MM), each an INCRBYFLOAT counter that expires after its period. When Redis cannot
 * be read the budget is not enforced for that request (the error is reported): a Redis outage
 * must not stop a Route from serving.
 */
export function createRedisRouteBudgetLedger(
  options: RedisRouteBudgetLedgerOptions,
): RouteBudgetLedger {
  const { redis } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  return {
    async spent(route, at) {
      // While Redis is down, fail open at once instead of queueing behind its reconnects.
      if (redis.status !== 'ready') {
        options.onError?.(new Error(`Redis connection is ${redis.status}`), 'read');
        return { day: 0, month: 0 };
      }
      try {
        const [day, month] = await redis.mget(
          routeSpendKey(route, dayOf(at), prefix),
          routeSpendKey(route, monthOf(at), prefix),
        );
        return { day: Number(day ?? 0), month: Number(month ?? 0) };
      } catch (err) {
        options.onError?.(err, 'read');
        return { day: 0, month: 0 };
      }
    },
    add(route, usd, at) {
      if (!(usd > 0)) return;
      const day = routeSpendKey(route, dayOf(at), prefix);
      const month = routeSpendKey(route, monthOf(at), prefix);
      redis
        .multi()
        .incrbyfloat(day, usd)
        .expire(day, 2 * 86_400)
        .incrbyfloat(month, usd)
        .expire(month, 32 * 86_400)
        .exec()
        .catch((err: unknown) => options.onError?.(err, 'write'));
    },
  };
}
