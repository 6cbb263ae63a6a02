import { DEFAULT_PREFIX, minuteSeriesKey } from '@bascule/keyspace';
import type { Redis } from 'ioredis';
import {
  MINUTE_SERIES_TTL_S,
  MinuteCounts,
  dropExpired,
  type MinuteIncrements,
} from './minute-series.js';
import type { UsageSink } from './usage-record.js';

export interface MinuteSeriesOptions {
  redis: Redis;
  /** Key prefix (default `bsc:`). */
  prefix?: string;
  /** Flush the in-memory aggregate this often (default 5000 ms). */
  flushMs?: number;
  now?: () => number;
}

/**
 * Wraps the metering sink so every metered request also lands in the dashboard's per-minute
 * series (see minute-series.ts). The request path only adds to in-memory counters; they are
 * written in one pipeline every `flushMs` and on close (nothing is lost on shutdown). A flush
 * Redis refuses is kept for the next one, minutes past the retention dropped.
 */
export function withMinuteSeries(sink: UsageSink, o: MinuteSeriesOptions): UsageSink {
  const prefix = o.prefix ?? DEFAULT_PREFIX;
  const now = o.now ?? Date.now;
  const counts = new MinuteCounts();
  /** What the last flush could not write (Redis down), written with the next one. */
  let unwritten: MinuteIncrements = new Map();
  let writing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => void flushSeries(), o.flushMs ?? 5000);
  timer.unref();

  function flushSeries(): Promise<void> {
    writing = writing.then(async () => {
      const batch = unwritten;
      unwritten = new Map();
      counts.drainInto(batch);
      if (batch.size === 0) return;
      const p = o.redis.pipeline();
      for (const [k, fields] of batch) {
        const at = k.indexOf(':');
        const key = minuteSeriesKey(Number(k.slice(0, at)), k.slice(at + 1), prefix);
        for (const [f, v] of fields)
          if (Number.isInteger(v)) p.hincrby(key, f, v);
          else p.hincrbyfloat(key, f, v);
        p.expire(key, MINUTE_SERIES_TTL_S);
      }
      try {
        const res = await p.exec();
        if (res?.some(([err]) => err)) throw new Error('minute series write failed');
      } catch {
        // Redis down: keep the increments for the next flush (a partial write may count twice).
        unwritten = batch;
        dropExpired(unwritten, now());
      }
    });
    return writing;
  }

  return {
    record(r) {
      sink.record(r);
      counts.add(r);
    },
    ...(sink.reportInFlight
      ? {
          reportInFlight: (
            counts: ReadonlyMap<string, number>,
            overflow?: ReadonlyMap<string, number>,
          ) => sink.reportInFlight!(counts, overflow),
        }
      : {}),
    flush: () => Promise.all([sink.flush(), flushSeries()]).then(() => undefined),
    async close() {
      clearInterval(timer);
      await Promise.all([sink.close(), flushSeries()]);
    },
  };
}
