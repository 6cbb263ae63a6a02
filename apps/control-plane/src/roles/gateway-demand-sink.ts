import { writeGatewayCounts, type GatewayCounts } from '@bascule/autoscaler/io';
import type { UsageSink } from '@bascule/gateway';
import type { Redis } from 'ioredis';

export interface GatewayDemandSinkOptions {
  redis: Redis;
  gatewayId: string;
  /** Key prefix (default `bsc:`, keyspace DEFAULT_PREFIX). */
  prefix?: string;
  now?: () => number;
  onError?: (err: unknown) => void;
}

/**
 * Wraps the gateway's usage sink so its per-Model demand (in flight + waiting, reported every
 * second) and its overflowed-away requests still in flight reach Redis through the autoscaler's
 * own writer (`writeGatewayCounts`: keyspace inflightKey, overflowKey and gatewaysKey). This is
 * the one writer of those keys. A Model no longer in flight is written as 0
 * once, so its count drops at once rather than when the key expires.
 */
export function withGatewayDemand(sink: UsageSink, o: GatewayDemandSinkOptions): UsageSink {
  let last = new Set<string>();
  let writing: Promise<void> = Promise.resolve();
  const report = (
    counts: ReadonlyMap<string, number>,
    overflow: ReadonlyMap<string, number>,
  ): Promise<void> => {
    const out = new Map<string, GatewayCounts>();
    for (const [model, n] of counts)
      out.set(model, { inFlight: n, overflow: overflow.get(model) ?? 0 });
    for (const [model, n] of overflow)
      if (!out.has(model)) out.set(model, { inFlight: 0, overflow: n });
    for (const model of last) if (!out.has(model)) out.set(model, { inFlight: 0, overflow: 0 });
    last = new Set([...counts.keys(), ...overflow.keys()]);
    return writeGatewayCounts(o.redis, o.gatewayId, out, {
      ...(o.prefix ? { prefix: o.prefix } : {}),
      ...(o.now ? { now: o.now } : {}),
    });
  };
  return {
    record: (r) => sink.record(r),
    reportInFlight(counts, overflow) {
      const snapshot = new Map(counts);
      const overflowing = new Map(overflow ?? []);
      writing = writing
        .then(() => report(snapshot, overflowing))
        .catch((err: unknown) => o.onError?.(err));
    },
    flush: () => Promise.all([sink.flush(), writing]).then(() => undefined),
    close: () => Promise.all([sink.close(), writing]).then(() => undefined),
  };
}
