import type { ResolvedLimits } from '../core/resolved-provider.js';

export interface RateDecision {
  allowed: boolean;
  /** When refused: milliseconds until the window frees up. */
  retryAfterMs: number;
  /** When refused: the limit that was hit. */
  limit?: 'rpm' | 'tpm';
}

/**
 * State shared by every gateway replica about each provider: 429 cooldowns and the
 * Provider spec's requests/tokens-per-minute limits (fixed one-minute windows).
 * Implementations: `createRedisSharedLimits` (across replicas), `createInMemorySharedLimits`.
 */
export interface SharedLimits {
  /** Milliseconds left in the provider's cooldown (0 when none). */
  cooldownRemaining(provider: string): Promise<number>;
  /** Starts a cooldown, or extends one that would end sooner. */
  startCooldown(provider: string, ms: number): Promise<void>;
  /** Counts one request and `tokens` if both stay within the limits; refuses without counting otherwise. */
  acquire(provider: string, limits: ResolvedLimits, tokens: number): Promise<RateDecision>;
  /** Corrects the current window's token count once the real usage is known (delta may be negative). */
  adjustTokens(provider: string, delta: number): Promise<void>;
}

export const RATE_WINDOW_MS = 60_000;
