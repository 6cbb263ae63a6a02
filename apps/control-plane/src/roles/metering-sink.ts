import { createRedisUsageSink, withMinuteSeries, type UsageSink } from '@bascule/gateway';
import type { Redis } from 'ioredis';

/**
 * The gateway's metering writer: per-day usage counters (keyspace usageKey) and the dashboard's
 * per-minute series (minuteSeriesKey, 24 h; see docs/dashboard.md), both flushed from memory.
 */
export function meteringSink(redis: Redis, gatewayId: string): UsageSink {
  return withMinuteSeries(createRedisUsageSink({ redis, gatewayId }), { redis });
}
