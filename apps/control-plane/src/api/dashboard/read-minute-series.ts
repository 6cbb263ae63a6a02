import { minuteSeriesKey } from '@bascule/keyspace';
import { epochMinute } from '@bascule/gateway';
import type { Redis } from 'ioredis';
import type { MinuteFields } from './summarize-series.js';

/**
 * Reads `minutes` minutes ending with the current one, summing the hashes of every scope given
 * (keyspace minuteSeriesKey, one slot: {ts}), in one pipeline. Oldest first.
 */
export async function readMinuteSeries(
  redis: Redis,
  prefix: string,
  scopes: readonly string[],
  minutes: number,
  nowMs: number,
): Promise<{ firstMinute: number; minutes: MinuteFields[] }> {
  const last = epochMinute(nowMs);
  const firstMinute = last - minutes + 1;
  const out: Map<string, number>[] = Array.from(
    { length: minutes },
    () => new Map<string, number>(),
  );
  if (scopes.length === 0) return { firstMinute, minutes: out };
  const p = redis.pipeline();
  for (let m = firstMinute; m <= last; m++)
    for (const scope of scopes) p.hgetall(minuteSeriesKey(m, scope, prefix));
  const res = (await p.exec()) ?? [];
  res.forEach(([err, h], j) => {
    if (err) throw err;
    const into = out[Math.floor(j / scopes.length)]!;
    for (const [f, v] of Object.entries(h as Record<string, string>)) {
      const x = Number(v);
      if (Number.isFinite(x)) into.set(f, (into.get(f) ?? 0) + x);
    }
  });
  return { firstMinute, minutes: out };
}
