import { scanKeys, usageKey, usagePattern } from '@bascule/keyspace';
import type { Redis } from 'ioredis';

export type UsageDimension = 'key' | 'route' | 'target' | 'adapter' | 'shadow' | 'overflowed-from';

export interface UsageRow {
  day: string;
  name: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUSD: number;
  errors: number;
  overflow: number;
}

/** Days from `from` to `to` (YYYY-MM-DD, inclusive), at most 366. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (
    let t = Date.parse(`${from}T00:00:00Z`);
    t <= Date.parse(`${to}T00:00:00Z`);
    t += 86_400_000
  ) {
    out.push(new Date(t).toISOString().slice(0, 10));
    if (out.length > 366) break;
  }
  return out;
}

/** The gateway's Redis counters (keyspace usageKey, written by createRedisUsageSink). */
export async function readUsage(
  redis: Redis,
  prefix: string,
  from: string,
  to: string,
  dim: UsageDimension,
  names?: readonly string[],
): Promise<UsageRow[]> {
  const rows: UsageRow[] = [];
  for (const day of daysBetween(from, to)) {
    const keys = names
      ? names.map((n) => usageKey(day, dim, n, prefix))
      : (await scanKeys(redis, `${usagePattern(day, dim, prefix)}*`)).slice(0, 100_000);
    if (keys.length === 0) continue;
    const p = redis.pipeline();
    for (const k of keys) p.hgetall(k);
    const res = (await p.exec()) ?? [];
    keys.forEach((k, i) => {
      const h = (res[i]?.[1] ?? {}) as Record<string, string>;
      if (!h.requests) return;
      rows.push({
        day,
        name: k.slice(usagePattern(day, dim, prefix).length),
        requests: Number(h.requests),
        inputTokens: Number(h.input_tokens ?? 0),
        outputTokens: Number(h.output_tokens ?? 0),
        costUSD: Number(h.cost_usd ?? 0),
        errors: Number(h.errors ?? 0),
        overflow: Number(h.overflow ?? 0),
      });
    });
  }
  return rows;
}
