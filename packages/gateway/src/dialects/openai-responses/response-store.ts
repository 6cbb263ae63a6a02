import { responseKey } from '@bascule/keyspace';
import type { ChatMessage } from '@bascule/providers';
import type { Redis } from 'ioredis';

/** A stored Response: the object GET returns, and the conversation previous_response_id continues. */
export interface StoredResponse {
  /** The API key that created it (only that key may read, continue or delete it). */
  key?: string;
  response: Record<string, unknown>;
  /** The conversation up to and including this answer, as chat messages (no instructions). */
  messages: ChatMessage[];
}

/** Where `store: true` Responses live (GET/DELETE /v1/responses/{id}, previous_response_id). */
export interface ResponseStore {
  get(id: string): Promise<StoredResponse | undefined>;
  put(id: string, r: StoredResponse): Promise<void>;
  /** Whether it existed. */
  delete(id: string): Promise<boolean>;
}

/** This process's own store (tests, a single replica); bounded, oldest first out. */
export function createMemoryResponseStore(max = 10_000): ResponseStore {
  const m = new Map<string, string>();
  return {
    get: (id) => {
      const v = m.get(id);
      return Promise.resolve(v === undefined ? undefined : (JSON.parse(v) as StoredResponse));
    },
    put: (id, r) => {
      if (m.size >= max) m.delete(m.keys().next().value!);
      m.set(id, JSON.stringify(r));
      return Promise.resolve();
    },
    delete: (id) => Promise.resolve(m.delete(id)),
  };
}

export interface RedisResponseStoreOptions {
  redis: Redis;
  /** Seconds a stored Response is kept (default 30 days, as OpenAI's). */
  ttlSeconds?: number;
  /** Key prefix (default `bsc:`; see keyspace responseKey). */
  prefix?: string;
}

/** Stored Responses in Redis, shared by every gateway replica; each expires after ttlSeconds. */
export function createRedisResponseStore(o: RedisResponseStoreOptions): ResponseStore {
  const ttl = o.ttlSeconds ?? 30 * 24 * 3600;
  const key = (id: string): string => responseKey(id, o.prefix);
  return {
    async get(id) {
      const v = await o.redis.get(key(id));
      return v === null ? undefined : (JSON.parse(v) as StoredResponse);
    },
    async put(id, r) {
      await o.redis.set(key(id), JSON.stringify(r), 'EX', ttl);
    },
    async delete(id) {
      return (await o.redis.del(key(id))) > 0;
    },
  };
}
