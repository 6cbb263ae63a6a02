import { createRedis, type Redis } from '@bascule/keyspace';

export type { Redis } from 'ioredis';

/**
 * An ioredis client for the gateway (a Cluster client for a `redis+cluster://` URL, see
 * @bascule/keyspace createRedis); commands fail fast instead of queueing forever.
 */
export function createRedisClient(url: string): Redis {
  return createRedis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
}
