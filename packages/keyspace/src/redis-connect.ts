/**
 * The one place a Redis client is made: `createRedis(url)` returns an ioredis client for a
 * `redis://` URL and an ioredis Cluster client for a `redis+cluster://` URL (see redis-url.ts),
 * so moving to Redis Cluster is changing BASCULE_REDIS_URL. The Cluster client is typed as
 * `Redis`: both share ioredis' command interface, and Bascule only issues commands (keys laid
 * out by keyspace.ts so multi-key commands, scripts and pipelines stay in one slot).
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { parseRedisUrl } from './redis-url.js';

export type { Redis, RedisOptions } from 'ioredis';

/** A client for the URL; `options` apply to every connection (each node's, for a cluster). */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  const p = parseRedisUrl(url);
  if (p.kind === 'single') return new Redis(url, options);
  const cluster = new Cluster(p.nodes, {
    redisOptions: {
      ...options,
      ...(p.username ? { username: p.username } : {}),
      ...(p.password !== undefined ? { password: p.password } : {}),
      ...(p.tls ? { tls: {} } : {}),
    },
    ...(options.enableOfflineQueue !== undefined
      ? { enableOfflineQueue: options.enableOfflineQueue }
      : {}),
  });
  return cluster as unknown as Redis;
}

/** True when the client is a Redis Cluster client. */
export function isCluster(redis: Redis): boolean {
  return (redis as unknown as { isCluster?: boolean }).isCluster === true;
}

/** Connection options of one server, valid for ioredis and BullMQ alike. */
export interface PlainRedisConnection {
  host: string;
  port: number;
  db: number;
  password?: string;
  username?: string;
  tls?: object;
  maxRetriesPerRequest: null;
}

/**
 * A BullMQ `connection` for the URL. One server: plain options (BullMQ makes and closes its own
 * connections, as before). A cluster: a Cluster client (BullMQ cannot make one from options;
 * it reuses it and duplicates it for blocking reads; the caller closes it). Both with
 * `maxRetriesPerRequest: null`, which BullMQ's blocking connections need.
 */
export function bullConnection(url: string): PlainRedisConnection | Redis {
  const p = parseRedisUrl(url);
  if (p.kind === 'cluster') return createRedis(url, { maxRetriesPerRequest: null });
  const u = new URL(p.url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    db: Number(u.pathname.replace('/', '') || 0),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/**
 * Every key matching `pattern` (SCAN, COUNT 500). On a cluster each master is scanned: a
 * pattern of one family lives on one slot, but SCAN itself is per node.
 */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const nodes = isCluster(redis) ? (redis as unknown as Cluster).nodes('master') : [redis];
  const out: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      out.push(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  return out;
}
