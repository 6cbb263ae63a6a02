import { randomUUID } from 'node:crypto';
import { DEFAULT_PREFIX, redisScript, usageFlushKey, usageKey } from '@bascule/keyspace';
import type { Redis } from 'ioredis';
import type { UsageRecord, UsageSink } from './usage-record.js';

export interface RedisUsageSinkOptions {
  redis: Redis;
  /** Key prefix (default `bsc:`). */
  prefix?: string;
  /** Unique id of this gateway process (names its flushes). */
  gatewayId: string;
  /** Flush buffered counters this often (default 1000 ms). */
  flushMs?: number;
  /** Day buckets expire after this many days (default 400). */
  retentionDays?: number;
}

/** Unconfirmed flushes kept while Redis is down (one a second: over an hour) before merging. */
const MAX_UNCONFIRMED = 4096;

/**
 * KEYS[1]: the guard key. Every counter hash shares its hash tag ({usage}, keyspace.ts), so on a
 * Redis Cluster the script runs in that one slot; they are passed in ARGV only because their
 * number varies. ARGV: ttl seconds, then per hash: key, requests, input_tokens, output_tokens,
 * cost_usd, errors, overflow. Nothing is written when the guard exists (a replayed flush).
 */
const FLUSH_SCRIPT = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', 86400) == false then return 0 end
local ttl = tonumber(ARGV[1])
local fields = {'requests', 'input_tokens', 'output_tokens', 'cost_usd', 'errors', 'overflow'}
for i = 2, #ARGV, 7 do
  local k = ARGV[i]
  for j = 1, 6 do
    local v = ARGV[i + j]
    if v ~= '0' then
      if j == 4 then redis.call('HINCRBYFLOAT', k, fields[j], v)
      else redis.call('HINCRBY', k, fields[j], v) end
    end
  end
  redis.call('EXPIRE', k, ttl)
end
return 1
`;
const FLUSH = redisScript(FLUSH_SCRIPT);

interface Totals {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  errors: number;
  overflow: number;
}

/**
 * Per-key, per-route and per-target counters in Redis, so several gateway replicas add up.
 * Hash keyspace usageKey(day, key|route|target|…, name) with fields requests, input_tokens,
 * output_tokens, cost_usd, errors, overflow. Records are summed in memory and flushed in one
 * script every `flushMs`, keeping Redis off the request path. While Redis is down (or
 * restarting) flushes are kept and replayed in order, each exactly once (see `write`). In-flight
 * counts are not written here: the one writer of those keys is the control plane's gateway demand
 * sink (withGatewayDemand, through the autoscaler's writeGatewayCounts).
 */
export function createRedisUsageSink(options: RedisUsageSinkOptions): UsageSink {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const ttl = (options.retentionDays ?? 400) * 86_400;
  let pending = new Map<string, Totals>();
  // `YYYY-MM-DD` of a record's instant: the last day's text is kept (a Date per day, not per record).
  let lastDay = -1;
  let lastDayText = '';
  const dayOf = (at: number): string => {
    const d = Math.floor(at / 86_400_000);
    if (d !== lastDay) {
      lastDay = d;
      lastDayText = new Date(at).toISOString().slice(0, 10);
    }
    return lastDayText;
  };
  // The hash key of each (dimension, name) of the current day, built once per name, not per
  // record (a new string per record is a new hash for every Map lookup). Bounded per day.
  let keysDay = '';
  let keys = new Map<string, Map<string, string>>();
  let keyCount = 0;
  const keyOf = (day: string, dim: string, name: string): string => {
    if (day !== keysDay || keyCount >= 16_384) {
      keysDay = day;
      keys = new Map();
      keyCount = 0;
    }
    let byName = keys.get(dim);
    if (!byName) keys.set(dim, (byName = new Map<string, string>()));
    let k = byName.get(name);
    if (k === undefined) {
      byName.set(name, (k = usageKey(day, dim, name, prefix)));
      keyCount++;
    }
    return k;
  };
  let flushing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => void flush(), options.flushMs ?? 1000);
  timer.unref();

  const add = (key: string, r: UsageRecord): void => {
    let t = pending.get(key);
    if (!t)
      pending.set(
        key,
        (t = {
          requests: 0,
          input_tokens: 0,
          output_tokens: 0,
          cost_usd: 0,
          errors: 0,
          overflow: 0,
        }),
      );
    t.requests++;
    t.input_tokens += r.promptTokens;
    t.output_tokens += r.completionTokens;
    t.cost_usd += r.costUSD;
    if (r.status >= 400) t.errors++;
    if (r.reason.startsWith('overflow:')) t.overflow++;
  };

  /** Flushes Redis has not confirmed, oldest first: each is replayed under its own id. */
  const unconfirmed: { id: string; batch: Map<string, Totals> }[] = [];

  /**
   * Writes one batch with a Lua script guarded by the batch's id (a key kept a day): a replay
   * after a lost reply (the write landed, the answer did not) adds nothing twice, and a batch
   * that did not land is written whole when Redis is back (the script is atomic).
   */
  async function write(id: string, batch: Map<string, Totals>): Promise<void> {
    const args: string[] = [String(ttl)];
    for (const [key, t] of batch)
      args.push(
        key,
        String(t.requests),
        String(t.input_tokens),
        String(t.output_tokens),
        String(t.cost_usd),
        String(t.errors),
        String(t.overflow),
      );
    await FLUSH.run(options.redis, [usageFlushKey(id, prefix)], args);
  }

  function flush(): Promise<void> {
    flushing = flushing.then(async () => {
      const batch = pending;
      pending = new Map();
      if (batch.size > 0) {
        unconfirmed.push({ id: `${options.gatewayId}:${randomUUID()}`, batch });
        // Bounded memory in a long outage: the oldest batches merge into one (never dropped).
        if (unconfirmed.length > MAX_UNCONFIRMED) mergeOldest();
      }
      while (unconfirmed.length > 0) {
        const next = unconfirmed[0]!;
        try {
          await write(next.id, next.batch);
        } catch {
          break; // Redis down: keep it (and those after it) for the next flush.
        }
        unconfirmed.shift();
      }
    });
    return flushing;
  }

  /** Folds the two oldest unconfirmed batches into a new one (a new id: neither landed). */
  function mergeOldest(): void {
    const [a, b] = unconfirmed.splice(0, 2) as [
      { id: string; batch: Map<string, Totals> },
      { id: string; batch: Map<string, Totals> },
    ];
    for (const [key, t] of b.batch) {
      const cur = a.batch.get(key);
      if (!cur) a.batch.set(key, t);
      else for (const f of Object.keys(t) as (keyof Totals)[]) cur[f] += t[f];
    }
    unconfirmed.unshift({ id: `${options.gatewayId}:${randomUUID()}`, batch: a.batch });
  }

  return {
    record(r) {
      const day = dayOf(r.at);
      add(keyOf(day, 'key', r.key), r);
      add(keyOf(day, 'route', r.route), r);
      add(keyOf(day, 'target', r.target), r);
      if (r.adapter !== undefined) add(keyOf(day, 'adapter', r.adapter), r);
      if (r.shadowOf !== undefined) add(keyOf(day, 'shadow', r.shadowOf), r);
      // Requests that overflowed away from a Model, per reason (`{model}:{reason}`).
      for (const o of r.overflowedFrom ?? [])
        add(usageKey(day, 'overflowed-from', `${o.model}:${o.reason}`, prefix), r);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
