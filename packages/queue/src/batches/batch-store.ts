import { batchIndexKey, batchKeys, redisScript } from '@bascule/keyspace';
import type { Redis } from 'ioredis';
import { QueueError } from '../errors/queue-error.js';
import type { BatchObject, BatchStatus, StoredBatch } from './batch-record.js';

const listKey = (owner: string): string => batchIndexKey(owner);

/**
 * Records one line's result once: the first result for a custom_id wins, later ones (a retry
 * after a worker died between recording and acknowledging) change nothing. Returns the number of
 * lines finished, or -1 once the batch is sealed for finalisation.
 */
const RECORD = `
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
end
local c = redis.call('HMGET', KEYS[2], 'completed', 'failed')
return (tonumber(c[1]) or 0) + (tonumber(c[2]) or 0)
`;

/** Moves the status only from one of the allowed ones; returns the new doc or null. */
const TRANSITION = `
local text = redis.call('GET', KEYS[1])
if not text then return nil end
local doc = cjson.decode(text)
local ok = false
for i = 3, #ARGV do if doc.status == ARGV[i] then ok = true end end
if not ok then return nil end
local patch = cjson.decode(ARGV[2])
for k, v in pairs(patch) do doc[k] = v end
doc.status = ARGV[1]
local out = cjson.encode(doc)
redis.call('SET', KEYS[1], out)
return out
`;
const TRANSITION_SCRIPT = redisScript(TRANSITION);
const RECORD_SCRIPT = redisScript(RECORD);

/** Batches in Redis: the document, per-custom_id results and live counts. */
export class BatchStore {
  constructor(private readonly redis: Redis) {}

  async create(b: StoredBatch): Promise<void> {
    await this.redis
      .multi()
      .set(batchKeys(b.id).doc, JSON.stringify(b))
      .zadd(listKey(b.owner), b.created_at * 1000 + (Date.now() % 1000), b.id)
      .exec();
  }

  async getStored(id: string, owner?: string): Promise<StoredBatch> {
    const text = await this.redis.get(batchKeys(id).doc);
    const b = text ? (JSON.parse(text) as StoredBatch) : undefined;
    if (!b || (owner !== undefined && b.owner !== owner)) throw QueueError.notFound('batch', id);
    return b;
  }

  async get(id: string, owner?: string): Promise<BatchObject> {
    return this.toPublic(await this.getStored(id, owner));
  }

  async counts(id: string): Promise<{ completed: number; failed: number }> {
    const [c, f] = await this.redis.hmget(batchKeys(id).counts, 'completed', 'failed');
    return { completed: Number(c ?? 0), failed: Number(f ?? 0) };
  }

  async toPublic(b: StoredBatch): Promise<BatchObject> {
    const { owner: _o, keyId: _k, total, ...rest } = b;
    return {
      ...rest,
      errors: rest.errors ?? null,
      request_counts: { total, ...(await this.counts(b.id)) },
    };
  }

  /** Newest first, after the given id. */
  async list(
    owner: string,
    after: string | undefined,
    limit: number,
  ): Promise<{ data: BatchObject[]; hasMore: boolean }> {
    let start = 0;
    if (after) {
      const rank = await this.redis.zrevrank(listKey(owner), after);
      if (rank === null) throw QueueError.badRequest(`no batch '${after}' to list after`, 'after');
      start = rank + 1;
    }
    const ids = await this.redis.zrevrange(listKey(owner), start, start + limit);
    const data: BatchObject[] = [];
    for (const id of ids.slice(0, limit)) data.push(await this.get(id));
    return { data, hasMore: ids.length > limit };
  }

  async transition(
    id: string,
    from: readonly BatchStatus[],
    to: BatchStatus,
    patch: Partial<StoredBatch> = {},
  ): Promise<StoredBatch | null> {
    const out = (await TRANSITION_SCRIPT.run(
      this.redis,
      [batchKeys(id).doc],
      [to, JSON.stringify(patch), ...from],
    )) as string | null;
    return out ? (JSON.parse(out) as StoredBatch) : null;
  }

  async patch(id: string, patch: Partial<StoredBatch>): Promise<void> {
    const b = await this.getStored(id);
    await this.transition(id, [b.status], b.status, patch);
  }

  /** See RECORD. `value` is `status\nrequestId\nbody`. */
  async record(id: string, customId: string, ok: boolean, value: string): Promise<number> {
    const k = batchKeys(id);
    return (await RECORD_SCRIPT.run(
      this.redis,
      [k.results, k.counts, k.sealed],
      [customId, value, ok ? 'completed' : 'failed'],
    )) as number;
  }

  async seal(id: string): Promise<void> {
    await this.redis.set(batchKeys(id).sealed, '1');
  }

  async results(id: string, customIds: readonly string[]): Promise<(string | null)[]> {
    if (customIds.length === 0) return [];
    return this.redis.hmget(batchKeys(id).results, ...customIds);
  }

  /** Results are kept `ttlSeconds` after finalisation (the files hold them after that). */
  async expireResults(id: string, ttlSeconds: number): Promise<void> {
    await this.redis.expire(batchKeys(id).results, ttlSeconds);
  }
}
