import type { Redis } from 'ioredis';
import type { UsageRecord, UsageSink } from './usage-record.js';

export interface RedisUsageSinkOptions {
  redis: Redis;
  /** Key prefix (default `bsc:`). */
  prefix?: string;
  /** Unique id of this gateway process (for in-flight reports). */
  gatewayId: string;
  /** Flush buffered counters this often (default 1000 ms). */
  flushMs?: number;
  /** Day buckets expire after this many days (default 400). */
  retentionDays?: number;
}

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
 * Hash `bsc:usage:{YYYY-MM-DD}:{key|route|target}:{name}` with fields requests, input_tokens,
 * output_tokens, cost_usd, errors, overflow. Records are summed in memory and flushed in one
 * pipeline every `flushMs`, keeping Redis off the request path. In-flight counts per Model go
 * to hash `bsc:inflight:{model}` (field = gateway id, 30 s expiry) for the autoscaler.
 */
export function createRedisUsageSink(options: RedisUsageSinkOptions): UsageSink {
  const prefix = options.prefix ?? 'bsc:';
  const ttl = (options.retentionDays ?? 400) * 86_400;
  let pending = new Map<string, Totals>();
  let inflight: ReadonlyMap<string, number> | undefined;
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

  function flush(): Promise<void> {
    flushing = flushing.then(async () => {
      const batch = pending;
      const counts = inflight;
      pending = new Map();
      inflight = undefined;
      if (batch.size === 0 && !counts) return;
      const p = options.redis.pipeline();
      for (const [key, t] of batch) {
        const k = `${prefix}usage:${key}`;
        p.hincrby(k, 'requests', t.requests);
        if (t.input_tokens) p.hincrby(k, 'input_tokens', t.input_tokens);
        if (t.output_tokens) p.hincrby(k, 'output_tokens', t.output_tokens);
        if (t.cost_usd) p.hincrbyfloat(k, 'cost_usd', t.cost_usd);
        if (t.errors) p.hincrby(k, 'errors', t.errors);
        if (t.overflow) p.hincrby(k, 'overflow', t.overflow);
        p.expire(k, ttl);
      }
      for (const [model, n] of counts ?? []) {
        const k = `${prefix}inflight:${model}`;
        p.hset(k, options.gatewayId, n);
        p.expire(k, 30);
      }
      try {
        await p.exec();
      } catch {
        // Redis down: keep the counts for the next flush rather than losing them.
        for (const [key, t] of batch) {
          const cur = pending.get(key);
          if (!cur) pending.set(key, t);
          else for (const f of Object.keys(t) as (keyof Totals)[]) cur[f] += t[f];
        }
      }
    });
    return flushing;
  }

  return {
    record(r) {
      const day = new Date(r.at).toISOString().slice(0, 10);
      add(`${day}:key:${r.key}`, r);
      add(`${day}:route:${r.route}`, r);
      add(`${day}:target:${r.target}`, r);
      if (r.shadowOf !== undefined) add(`${day}:shadow:${r.shadowOf}`, r);
    },
    reportInFlight(counts) {
      inflight = new Map(counts);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
