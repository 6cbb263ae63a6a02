/**
 * BASCULE_REDIS_URL as every role reads it: `redis://`/`rediss://` for one server or
 * `redis+cluster://`/`rediss+cluster://host:port,host:port` for a Redis Cluster (docs/redis.md),
 * checked by the same parser the connection factory uses, so a bad URL is a clear error.
 */
import { parseRedisUrl } from '@bascule/keyspace';
import { z } from 'zod';

export const RedisUrlSchema = z.string().superRefine((url, ctx) => {
  try {
    parseRedisUrl(url);
  } catch (err) {
    ctx.addIssue({
      code: 'custom',
      message: `must be a redis:// or rediss:// URL, or redis+cluster://host:port,host:port (${err instanceof Error ? err.message : String(err)})`,
    });
  }
});
