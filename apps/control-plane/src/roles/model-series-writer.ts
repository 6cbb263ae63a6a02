import { DEFAULT_PREFIX, minuteSeriesKey } from '@bascule/keyspace';
import {
  scalingSettingsFromModel,
  type DecisionObserver,
  type ObservedLoad,
  type ScalableModel,
} from '@bascule/autoscaler';
import { MINUTE_SERIES_TTL_S, epochMinute } from '@bascule/gateway';
import type { Redis } from 'ioredis';

export interface ModelSeriesOptions {
  redis: Redis;
  prefix?: string;
  /** Write the minute's samples this often (default 5000 ms). */
  flushMs?: number;
  now?: () => number;
}

/** The last sample of one Model in one minute, and its cold starts in that minute. */
interface Sample {
  fields: Record<string, number>;
  cold: number;
}

/**
 * The dashboard's per-minute Model series, written by the autoscaler (the role that reads every
 * Model's replicas and engine load each tick): hash minuteSeriesKey(epochMinute, `model:{ns}/{name}`) with
 * desired, current, ready and gpus (GPUs held by scheduled pods), inflight (gateways), queue
 * (requests waiting in the engines), kv (highest KV-cache use, 0..1) as the minute's last sample,
 * and cold (scale-ups from zero) summed. Kept in memory and written every few seconds.
 */
export function createModelSeriesWriter(o: ModelSeriesOptions): {
  loadObserver: (m: ScalableModel, load: ObservedLoad) => void;
  observer: DecisionObserver;
  close(): Promise<void>;
} {
  const prefix = o.prefix ?? DEFAULT_PREFIX;
  const now = o.now ?? Date.now;
  let pending = new Map<string, Sample>();
  let writing: Promise<void> = Promise.resolve();
  const sample = (ns: string, name: string): Sample => {
    const k = minuteSeriesKey(epochMinute(now()), `model:${ns}/${name}`, prefix);
    let s = pending.get(k);
    if (!s) pending.set(k, (s = { fields: {}, cold: 0 }));
    return s;
  };
  const flush = (): Promise<void> => {
    writing = writing.then(async () => {
      const batch = pending;
      pending = new Map();
      if (batch.size === 0) return;
      const p = o.redis.pipeline();
      for (const [k, s] of batch) {
        if (Object.keys(s.fields).length > 0) p.hset(k, s.fields);
        if (s.cold > 0) p.hincrby(k, 'cold', s.cold);
        p.expire(k, MINUTE_SERIES_TTL_S);
      }
      // A lost sample is a gap in a gauge: not worth keeping across a Redis outage.
      await p.exec().catch(() => undefined);
    });
    return writing;
  };
  const timer = setInterval(() => void flush(), o.flushMs ?? 5000);
  timer.unref();
  return {
    loadObserver(m, load) {
      try {
        record(m, load);
      } catch {
        // The dashboard's series must never stop the autoscaler.
      }
    },
    observer: {
      observe(ref, d) {
        const s = sample(ref.namespace, ref.name);
        s.fields.desired = d.desired;
        if (d.reason === 'scale-from-zero' && d.desired > d.current) s.cold++;
      },
    },
    async close() {
      clearInterval(timer);
      await flush();
    },
  };

  function record(m: ScalableModel, load: ObservedLoad): void {
    const gpus = scalingSettingsFromModel(m.model).gpusPerReplica;
    const kv = Math.max(0, ...load.engines.map((e) => e.kvCacheUsage ?? 0));
    Object.assign(sample(m.ref.namespace, m.ref.name).fields, {
      current: m.currentReplicas,
      ready: m.readyReplicas,
      gpus: m.scheduledReplicas * gpus,
      inflight: load.gatewayInFlight,
      queue: load.engines.reduce((a, e) => a + e.waiting, 0),
      kv: Math.round(kv * 1000) / 1000,
    });
  }
}
