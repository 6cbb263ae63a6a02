import { fileKey } from '@bascule/keyspace';
import type { Redis } from 'ioredis';
import { QueueError } from '../errors/queue-error.js';
import type { StoredFile } from './file-record.js';

const key = (id: string): string => fileKey(id);

/** File metadata in Redis; contents live on the FileStorage. */
export class FileStore {
  constructor(private readonly redis: Redis) {}

  async put(f: StoredFile): Promise<void> {
    await this.redis.set(key(f.id), JSON.stringify(f));
  }

  async get(id: string, owner?: string): Promise<StoredFile> {
    const text = await this.redis.get(key(id));
    const f = text ? (JSON.parse(text) as StoredFile) : undefined;
    if (!f || (owner !== undefined && f.owner !== owner)) throw QueueError.notFound('file', id);
    return f;
  }
}
