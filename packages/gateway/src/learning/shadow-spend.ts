import type { Redis } from 'ioredis';

/** Shadow and judge spend per Route and UTC day, shared by gateways and workers. */
export interface ShadowSpend {
  spent(route: string, at: Date): Promise<number>;
  add(route: string, usd: number, at: Date): Promise<void>;
}

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/** `bsc:learn:spend:{ns}/{route}:{YYYY-MM-DD}`, an INCRBYFLOAT counter kept two days. */
export function createRedisShadowSpend(redis: Redis, prefix = 'bsc:'): ShadowSpend {
  const k = (route: string, at: Date) => `${prefix}learn:spend:${route}:${dayOf(at)}`;
  return {
    async spent(route, at) {
      return Number((await redis.get(k(route, at))) ?? 0);
    },
    async add(route, usd, at) {
      if (!(usd > 0)) return;
      await redis
        .multi()
        .incrbyfloat(k(route, at), usd)
        .expire(k(route, at), 2 * 86_400)
        .exec();
    },
  };
}
