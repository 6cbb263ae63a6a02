import { jobIdempotencyKey, jobIndexKey, jobKey, redisScript } from '@bascule/keyspace';
import type { Redis } from 'ioredis';
import { QueueError } from '../errors/queue-error.js';
import type { JobStatus, StoredJob } from './job-record.js';

const key = (id: string): string => jobKey(id);
const idemKey = (owner: string, k: string): string => jobIdempotencyKey(owner, k);
/** A tenant's jobs, newest last (sorted set: creation time in ms → id), for listing. */
const ownerIndex = (owner: string): string => jobIndexKey(owner);
/** Jobs a tenant's list holds at most: the newest. Older ones stay readable by id until their TTL. */
const INDEX_CAP = 1000;

/** Terminal states are written once (the doc is built in JS: cjson would turn [] into {}); the record then lives ARGV[2] seconds. */
const FINISH = `
local text = redis.call('GET', KEYS[1])
if not text then return 0 end
local doc = cjson.decode(text)
if doc.status == 'succeeded' or doc.status == 'failed' or doc.status == 'cancelled' then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
return 1
`;
const FINISH_SCRIPT = redisScript(FINISH);

/** Async job records in Redis, results with a TTL. */
export class JobStore {
  constructor(
    private readonly redis: Redis,
    private readonly resultTtlSeconds: number,
  ) {}

  /** Stores a new job unless the idempotency key already names one; returns the job's id. */
  async create(job: StoredJob, idempotencyKey?: string): Promise<{ id: string; created: boolean }> {
    if (idempotencyKey) {
      const set = await this.redis.set(
        idemKey(job.owner, idempotencyKey),
        job.id,
        'EX',
        86_400,
        'NX',
      );
      if (set === null) {
        const id = await this.redis.get(idemKey(job.owner, idempotencyKey));
        if (id) return { id, created: false };
      }
    }
    await this.redis
      .multi()
      .set(key(job.id), JSON.stringify(job))
      .zadd(ownerIndex(job.owner), Date.now(), job.id)
      .zremrangebyrank(ownerIndex(job.owner), 0, -(INDEX_CAP + 1))
      .exec();
    return { id: job.id, created: true };
  }

  /** The owner's newest jobs, newest first; ids whose record has expired leave the list. */
  async list(owner: string, limit: number): Promise<StoredJob[]> {
    const ids = await this.redis.zrevrange(ownerIndex(owner), 0, limit - 1);
    if (ids.length === 0) return [];
    const texts = await this.redis.mget(ids.map(key));
    const gone = ids.filter((_, i) => texts[i] === null);
    if (gone.length > 0) await this.redis.zrem(ownerIndex(owner), ...gone);
    return texts.flatMap((t) => (t === null ? [] : [JSON.parse(t) as StoredJob]));
  }

  async find(id: string): Promise<StoredJob | undefined> {
    const text = await this.redis.get(key(id));
    return text ? (JSON.parse(text) as StoredJob) : undefined;
  }

  async get(id: string, owner?: string): Promise<StoredJob> {
    const j = await this.find(id);
    if (!j || (owner !== undefined && j.owner !== owner)) throw QueueError.notFound('job', id);
    return j;
  }

  async markRunning(id: string): Promise<boolean> {
    const j = await this.find(id);
    if (!j || j.status !== 'queued') return j?.status === 'running';
    j.status = 'running';
    j.started_at = Math.floor(Date.now() / 1000);
    await this.redis.set(key(id), JSON.stringify(j), 'XX');
    return true;
  }

  /** Sets a terminal state once; false when the job had already ended (e.g. cancelled). */
  async finish(id: string, status: JobStatus, patch: Partial<StoredJob>): Promise<boolean> {
    const cur = await this.find(id);
    if (!cur) return false;
    const full = { ...cur, ...patch, status, completed_at: Math.floor(Date.now() / 1000) };
    const r = await FINISH_SCRIPT.run(
      this.redis,
      [key(id)],
      [JSON.stringify(full), this.resultTtlSeconds],
    );
    return r === 1;
  }
}
