import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script run by its SHA-1 (EVALSHA), sent whole only when Redis does not have it yet. */
export interface RedisScript {
  readonly sha: string;
  run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
}

/**
 * EVAL sends the script's text with every call and makes Redis hash it again; EVALSHA sends 40
 * hex digits. A Redis that restarted (or a cluster node that never saw the script) answers
 * NOSCRIPT, and the call is made once more with EVAL, which also caches it there.
 */
export function redisScript(lua: string): RedisScript {
  const sha = createHash('sha1').update(lua).digest('hex');
  return {
    sha,
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return redis.eval(lua, keys.length, ...keys, ...args);
      }
    },
  };
}
