import { Redis } from 'ioredis';

export type { Redis } from 'ioredis';

/** An ioredis client for usage counters; commands fail fast instead of queueing forever. */
export function createRedisClient(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
}
