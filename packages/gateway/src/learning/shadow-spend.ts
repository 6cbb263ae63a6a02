import { DEFAULT_PREFIX, learnSpendKey } from '@bascule/keyspace';
import type { Redis } from 'ioredis';

/**
 * Shadow and judge spend per Route and UTC day, shared by every gateway and worker. A shadow
 * evaluation first reserves an upper bound of what it may cost (refused when that would pass the
 * cap), then settles to what it did cost: the counter is never above the cap, whatever number of
 * workers run.
 */
export interface ShadowSpend {
  spent(route: string, at: Date): Promise<number>;
  /** Adds `usd` if the total stays within `cap`; false (nothing added) otherwise. */
  reserve(route: string, usd: number, cap: number, at: Date): Promise<boolean>;
  /** Corrects a reservation to the actual cost (`delta` = actual - reserved, usually < 0). */
  settle(route: string, delta: number, at: Date): Promise<void>;
}

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

const RESERVE = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local add = tonumber(ARGV[1])
if cur + add > tonumber(ARGV[2]) then return 0 end
redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], 172800)
return 1`;

/** keyspace learnSpendKey(route, YYYY-MM-DD), an INCRBYFLOAT counter kept two days. */
export function createRedisShadowSpend(redis: Redis, prefix = DEFAULT_PREFIX): ShadowSpend {
  const k = (route: string, at: Date) => learnSpendKey(route, dayOf(at), prefix);
  return {
    async spent(route, at) {
      return Number((await redis.get(k(route, at))) ?? 0);
    },
    async reserve(route, usd, cap, at) {
      const r = await redis.eval(RESERVE, 1, k(route, at), String(usd), String(cap));
      return r === 1;
    },
    async settle(route, delta, at) {
      if (delta === 0) return;
      await redis.incrbyfloat(k(route, at), delta);
    },
  };
}
