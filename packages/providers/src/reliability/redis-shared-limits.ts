import {
  PROVIDER_LIMITS_PREFIX,
  createRedis,
  providerCooldownKey,
  providerRateKey,
  type Redis,
  redisScript,
} from '@bascule/keyspace';
import type { ResolvedLimits } from '../core/resolved-provider.js';
import { RATE_WINDOW_MS, type RateDecision, type SharedLimits } from './shared-limits.js';

// All scripts read the clock from Redis (TIME), so replicas with skewed clocks agree on windows.
// Keys share a `{provider}` hash tag so a script only touches one cluster slot.
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

const ACQUIRE = `${NOW}
local win = math.floor(now / ${RATE_WINDOW_MS})
local rk = KEYS[1] .. ':rpm:' .. win
local tk = KEYS[1] .. ':tpm:' .. win
local rpm = tonumber(ARGV[1])
local tpm = tonumber(ARGV[2])
local tokens = tonumber(ARGV[3])
local retry = ${RATE_WINDOW_MS} - (now % ${RATE_WINDOW_MS})
if rpm > 0 and tonumber(redis.call('GET', rk) or '0') + 1 > rpm then return {0, retry, 'rpm'} end
if tpm > 0 and tonumber(redis.call('GET', tk) or '0') + tokens > tpm then return {0, retry, 'tpm'} end
redis.call('INCR', rk)
redis.call('PEXPIRE', rk, ${2 * RATE_WINDOW_MS})
redis.call('INCRBY', tk, tokens)
redis.call('PEXPIRE', tk, ${2 * RATE_WINDOW_MS})
return {1, 0, ''}`;

const ADJUST = `${NOW}
local tk = KEYS[1] .. ':tpm:' .. math.floor(now / ${RATE_WINDOW_MS})
local v = redis.call('INCRBY', tk, tonumber(ARGV[1]))
if v < 0 then redis.call('SET', tk, 0) end
redis.call('PEXPIRE', tk, ${2 * RATE_WINDOW_MS})
return 1`;

const COOLDOWN = `local ttl = redis.call('PTTL', KEYS[1])
if ttl < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1`;
const ACQUIRE_SCRIPT = redisScript(ACQUIRE);
const ADJUST_SCRIPT = redisScript(ADJUST);
const COOLDOWN_SCRIPT = redisScript(COOLDOWN);

export interface RedisSharedLimitsOptions {
  /** Key prefix; default `bsc:providers` (keyspace providerRateKey). */
  prefix?: string;
}

/**
 * SharedLimits in Redis: atomic Lua scripts, so every gateway replica sees the same counts.
 * Pass a client (you close it) or a `redis://` URL (closed by `close()`).
 */
export function createRedisSharedLimits(
  client: Redis | string,
  options: RedisSharedLimitsOptions = {},
): SharedLimits & { close(): Promise<void> } {
  const owned = typeof client === 'string';
  const redis =
    typeof client === 'string' ? createRedis(client, { maxRetriesPerRequest: 2 }) : client;
  const prefix = options.prefix ?? PROVIDER_LIMITS_PREFIX;
  const rateKey = (p: string): string => providerRateKey(p, prefix);
  const cooldownKey = (p: string): string => providerCooldownKey(p, prefix);
  return {
    async cooldownRemaining(provider) {
      const ttl = await redis.pttl(cooldownKey(provider));
      return ttl > 0 ? ttl : 0;
    },
    async startCooldown(provider, ms) {
      if (ms <= 0) return;
      await COOLDOWN_SCRIPT.run(redis, [cooldownKey(provider)], [String(Math.ceil(ms))]);
    },
    async acquire(provider, limits: ResolvedLimits, tokens): Promise<RateDecision> {
      if (!limits.requestsPerMinute && !limits.tokensPerMinute)
        return { allowed: true, retryAfterMs: 0 };
      const r = (await ACQUIRE_SCRIPT.run(
        redis,
        [rateKey(provider)],
        [
          String(limits.requestsPerMinute ?? 0),
          String(limits.tokensPerMinute ?? 0),
          String(Math.max(0, Math.ceil(tokens))),
        ],
      )) as [number, number, string];
      if (r[0] === 1) return { allowed: true, retryAfterMs: 0 };
      return { allowed: false, retryAfterMs: r[1], limit: r[2] === 'rpm' ? 'rpm' : 'tpm' };
    },
    async adjustTokens(provider, delta) {
      if (delta === 0) return;
      await ADJUST_SCRIPT.run(redis, [rateKey(provider)], [String(Math.round(delta))]);
    },
    async close() {
      if (owned) await redis.quit();
    },
  };
}
