import { DEFAULT_PREFIX, routeScoresKey } from '@bascule/keyspace';
import type { ScoreWindow } from '@bascule/router';
import type { Redis } from 'ioredis';

/** One decision of a calibrated Route: the quantised score, and whether it took the complex tier. */
export interface WindowEntry {
  score: number;
  complex: boolean;
}

/**
 * Where a Route's recent scores are shared. `exchange` appends this replica's new entries and
 * returns the merged window (every replica's newest `size` entries, oldest first); it is called
 * off the request path, by the calibrator's refresh.
 */
export interface ScoreWindowStore {
  exchange(key: string, entries: readonly WindowEntry[], size: number): Promise<WindowEntry[]>;
}

/** The store key of a Route's window: `{namespace}/{route}:{scorer}`. */
export function scoreWindowKey(routeKey: string, scorer: string): string {
  return `${routeKey}:${scorer}`;
}

/** A window as thresholdInForce takes it: the scores sorted, and how many went complex. */
export function scoreWindowOf(entries: readonly WindowEntry[]): ScoreWindow {
  const sorted = new Float64Array(entries.length);
  let complex = 0;
  entries.forEach((e, i) => {
    sorted[i] = e.score;
    if (e.complex) complex++;
  });
  sorted.sort();
  return { sorted, complex };
}

/** One process's window: right for a single gateway replica (and for tests). */
export function createMemoryScoreWindowStore(): ScoreWindowStore {
  const windows = new Map<string, WindowEntry[]>();
  return {
    exchange(key, entries, size) {
      const w = [...(windows.get(key) ?? []), ...entries].slice(-size);
      windows.set(key, w);
      return Promise.resolve([...w]);
    },
  };
}

export interface RedisScoreWindowStoreOptions {
  redis: Redis;
  /** Key prefix (default `bsc:`). */
  prefix?: string;
  /** A window nobody has written for this long expires (default 7 days). */
  ttlSeconds?: number;
}

/**
 * The window in Redis, shared by every gateway replica: one capped list per Route and scorer,
 * keyspace routeScoresKey(`{namespace}/{route}:{scorer}`), entries `0.734512:1` (score, complex tier).
 * One MULTI appends (RPUSH), trims to the newest `size` (LTRIM) and reads the list (LRANGE):
 * atomic, so concurrent replicas interleave their entries and each reads a window that
 * includes its own; nothing but the oldest entries beyond `size` is ever dropped.
 */
export function createRedisScoreWindowStore(
  options: RedisScoreWindowStoreOptions,
): ScoreWindowStore {
  const { redis } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const ttl = options.ttlSeconds ?? 7 * 86_400;
  return {
    async exchange(key, entries, size) {
      const k = routeScoresKey(key, prefix);
      const m = redis.multi();
      if (entries.length > 0) {
        m.rpush(k, ...entries.map((e) => `${e.score}:${e.complex ? 1 : 0}`));
        m.ltrim(k, -size, -1);
        m.expire(k, ttl);
      }
      m.lrange(k, -size, -1);
      const replies = await m.exec();
      if (!replies) throw new Error('Redis MULTI was aborted');
      const [err, list] = replies[replies.length - 1]!;
      if (err) throw err;
      return (list as string[]).map(parseEntry);
    },
  };
}

function parseEntry(s: string): WindowEntry {
  const colon = s.lastIndexOf(':');
  return { score: Number(s.slice(0, colon)), complex: s.charCodeAt(colon + 1) === 49 };
}
