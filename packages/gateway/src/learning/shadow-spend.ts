import { DEFAULT_PREFIX, learnSpendKey, redisScript } from '@bascule/keyspace';
import type { ShadowSpend } from '@bascule/router';
import type { Redis } from 'ioredis';

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

const RESERVE = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local add = tonumber(ARGV[1])
if cur + add > tonumber(ARGV[2]) then return 0 end
redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], 172800)
return 1`;

/** keyspace learnSpendKey(route, YYYY-MM-DD), an INCRBYFLOAT counter kept two days. */
const RESERVE_SCRIPT = redisScript(RESERVE);

export function createRedisShadowSpend(redis: Redis, prefix = DEFAULT_PREFIX): ShadowSpend {
  const k = (route: string, at: Date) => learnSpendKey(route, dayOf(at), prefix);
  return {
    async spent(route, at) {
      return Number((await redis.get(k(route, at))) ?? 0);
    },
    async reserve(route, usd, cap, at) {
      const r = await RESERVE_SCRIPT.run(redis, [k(route, at)], [String(usd), String(cap)]);
      return r === 1;
    },
    async settle(route, delta, at) {
      if (delta === 0) return;
      await redis.incrbyfloat(k(route, at), delta);
    },
  };
}
