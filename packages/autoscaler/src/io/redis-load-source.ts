import type { Redis } from 'ioredis';
import {
  DEFAULT_KEY_PREFIX,
  GATEWAY_STALE_MS,
  INFLIGHT_TTL_SECONDS,
  gatewaysKey,
  inflightKey,
  overflowKey,
  scalerStateKey,
  sumGatewayCounts,
} from '../keys/redis-keys.js';
import type {
  LoadSource,
  ObservedLoad,
  ScalableModel,
  StateStore,
} from '../loop/autoscaler-ports.js';
import { parseScalerState } from '../policy/scaler-state.js';
import { scrapeEngineLoad, type ScrapeOptions } from './scrape-engine-load.js';

export interface GatewayCounts {
  inFlight: number;
  overflow: number;
}

/** In-flight and overflowed requests for a Model, summed over the gateways that report to Redis. */
export async function readGatewayCounts(
  redis: Redis,
  model: string,
  options: { prefix?: string; now?: () => number; staleMs?: number } = {},
): Promise<GatewayCounts> {
  const prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
  const [inflight, overflow, beats] = await Promise.all([
    redis.hgetall(inflightKey(model, prefix)),
    redis.hgetall(overflowKey(model, prefix)),
    redis.hgetall(gatewaysKey(prefix)),
  ]);
  const now = (options.now ?? Date.now)();
  const stale = options.staleMs ?? GATEWAY_STALE_MS;
  return {
    inFlight: sumGatewayCounts(inflight, beats, now, stale),
    overflow: sumGatewayCounts(overflow, beats, now, stale),
  };
}

export interface CombinedLoadSourceOptions {
  redis: Redis;
  prefix?: string;
  now?: () => number;
  scrape?: ScrapeOptions | false;
  /** Queued async jobs for a Model (the queue role's depth); 0 when omitted. */
  queuedJobs?: (model: ScalableModel) => Promise<number>;
}

/** The production LoadSource: gateways' counts from Redis, engines' /metrics, queue depth. */
export function redisLoadSource(o: CombinedLoadSourceOptions): LoadSource {
  return {
    async read(model): Promise<ObservedLoad> {
      const [counts, engines, queuedJobs] = await Promise.all([
        readGatewayCounts(o.redis, model.ref.name, {
          ...(o.prefix ? { prefix: o.prefix } : {}),
          ...(o.now ? { now: o.now } : {}),
        }),
        o.scrape === false ? Promise.resolve([]) : scrapeEngineLoad(model, o.scrape || {}),
        o.queuedJobs ? o.queuedJobs(model) : Promise.resolve(0),
      ]);
      return {
        gatewayInFlight: counts.inFlight,
        overflowInFlight: counts.overflow,
        engines,
        queuedJobs,
      };
    },
  };
}

/** Policy state in Redis (JSON, 1 h TTL), so a new leader carries on where the old one stopped. */
export function redisStateStore(
  redis: Redis,
  prefix = DEFAULT_KEY_PREFIX,
  ttlSeconds = 3600,
): StateStore {
  return {
    async get(ref) {
      const raw = await redis.get(scalerStateKey(ref.namespace, ref.name, prefix));
      if (raw === null) return undefined;
      try {
        return parseScalerState(JSON.parse(raw));
      } catch {
        return undefined;
      }
    },
    async set(ref, state) {
      await redis.set(
        scalerStateKey(ref.namespace, ref.name, prefix),
        JSON.stringify(state),
        'EX',
        ttlSeconds,
      );
    },
  };
}

/**
 * What a gateway writes: its in-flight and overflow counts per Model and its heartbeat, in one
 * pipeline (one slot: the keys share the {autoscaler} hash tag). The one writer of these keys:
 * the control plane's gateway demand sink calls it.
 */
export async function writeGatewayCounts(
  redis: Redis,
  gatewayId: string,
  counts: ReadonlyMap<string, GatewayCounts>,
  options: { prefix?: string; now?: () => number } = {},
): Promise<void> {
  const prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
  const p = redis.pipeline();
  for (const [model, c] of counts) {
    p.hset(inflightKey(model, prefix), gatewayId, c.inFlight);
    p.expire(inflightKey(model, prefix), INFLIGHT_TTL_SECONDS);
    p.hset(overflowKey(model, prefix), gatewayId, c.overflow);
    p.expire(overflowKey(model, prefix), INFLIGHT_TTL_SECONDS);
  }
  p.hset(gatewaysKey(prefix), gatewayId, (options.now ?? Date.now)());
  await p.exec();
}
