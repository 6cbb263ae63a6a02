// Every key in a Redis and its value as text, so a test can search the whole store for a string
// (e.g. that an API key's secret is nowhere in it, in names or in values).
import { createRedisClient } from '@bascule/gateway';

export async function dumpRedis(url: string): Promise<Map<string, string>> {
  const redis = createRedisClient(url);
  try {
    const out = new Map<string, string>();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
      cursor = next;
      for (const k of keys) out.set(k, await valueText(redis, k));
    } while (cursor !== '0' && out.size < 100_000);
    return out;
  } finally {
    redis.disconnect();
  }
}

async function valueText(redis: ReturnType<typeof createRedisClient>, k: string): Promise<string> {
  switch (await redis.type(k)) {
    case 'string':
      return (await redis.get(k)) ?? '';
    case 'hash':
      return JSON.stringify(await redis.hgetall(k));
    case 'list':
      return JSON.stringify(await redis.lrange(k, 0, -1));
    case 'set':
      return JSON.stringify(await redis.smembers(k));
    case 'zset':
      return JSON.stringify(await redis.zrange(k, 0, -1, 'WITHSCORES'));
    case 'stream':
      return JSON.stringify(await redis.xrange(k, '-', '+'));
    default:
      return '';
  }
}
