import type { ResolvedLimits } from '../core/resolved-provider.js';
import { RATE_WINDOW_MS, type RateDecision, type SharedLimits } from './shared-limits.js';

/** SharedLimits for a single process (tests, one replica); same semantics as the Redis one. */
export function createInMemorySharedLimits(now: () => number = Date.now): SharedLimits {
  const cooldowns = new Map<string, number>();
  const windows = new Map<string, { window: number; requests: number; tokens: number }>();
  const current = (provider: string): { window: number; requests: number; tokens: number } => {
    const window = Math.floor(now() / RATE_WINDOW_MS);
    let w = windows.get(provider);
    if (!w || w.window !== window) windows.set(provider, (w = { window, requests: 0, tokens: 0 }));
    return w;
  };
  return {
    cooldownRemaining(provider) {
      const until = cooldowns.get(provider) ?? 0;
      return Promise.resolve(Math.max(0, until - now()));
    },
    startCooldown(provider, ms) {
      const until = now() + ms;
      if ((cooldowns.get(provider) ?? 0) < until) cooldowns.set(provider, until);
      return Promise.resolve();
    },
    acquire(provider, limits: ResolvedLimits, tokens): Promise<RateDecision> {
      const w = current(provider);
      const retryAfterMs = RATE_WINDOW_MS - (now() % RATE_WINDOW_MS);
      if (limits.requestsPerMinute && w.requests + 1 > limits.requestsPerMinute) {
        return Promise.resolve({ allowed: false, retryAfterMs, limit: 'rpm' });
      }
      if (limits.tokensPerMinute && w.tokens + tokens > limits.tokensPerMinute) {
        return Promise.resolve({ allowed: false, retryAfterMs, limit: 'tpm' });
      }
      w.requests += 1;
      w.tokens += tokens;
      return Promise.resolve({ allowed: true, retryAfterMs: 0 });
    },
    adjustTokens(provider, delta) {
      const w = current(provider);
      w.tokens = Math.max(0, w.tokens + delta);
      return Promise.resolve();
    },
  };
}
