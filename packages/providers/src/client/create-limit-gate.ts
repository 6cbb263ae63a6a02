import type { Logger } from '../core/logger.js';
import { ProviderError } from '../core/provider-error.js';
import {
  findModel,
  type ResolvedLimits,
  type ResolvedProvider,
} from '../core/resolved-provider.js';
import type { Usage } from '../openai-types/responses.js';
import type { SharedLimits } from '../reliability/shared-limits.js';

/** The provider- and model-level rate limits and cooldowns a call must pass. */
export interface LimitGate {
  /** Refuses a request that alone exceeds a tpm limit (a 400: waiting would not help). */
  checkSize(provider: ResolvedProvider, model: string, tokens: number): void;
  /** Fails with a 429 while the provider cools down or a limit is reached; counts the call otherwise. */
  admit(
    provider: ResolvedProvider,
    model: string,
    tokens: number,
    skipCooldown: boolean,
  ): Promise<void>;
  /** Corrects the reserved token count with the real usage. */
  settle(
    provider: ResolvedProvider,
    model: string,
    reserved: number,
    usage: Usage | undefined,
  ): void;
  startCooldown(provider: ResolvedProvider, ms: number): Promise<void>;
}

const modelKey = (provider: ResolvedProvider, model: string): string => `${provider.name}#${model}`;

export function createLimitGate(limits: SharedLimits | undefined, logger: Logger): LimitGate {
  const scopes = (
    provider: ResolvedProvider,
    model: string,
  ): [string, ResolvedLimits | undefined][] => [
    [provider.name, provider.limits],
    [modelKey(provider, model), findModel(provider, model)?.limits],
  ];
  return {
    checkSize(provider, model, tokens) {
      for (const [, l] of scopes(provider, model)) {
        const tpm = l?.tokensPerMinute;
        if (tpm && tokens > tpm) {
          throw ProviderError.badRequest(
            `the request needs about ${tokens} tokens, more than the limit of ${tpm} tokens per minute of ${provider.name}`,
            'max_tokens',
          );
        }
      }
    },
    async admit(provider, model, tokens, skipCooldown) {
      if (!limits) return;
      const cooling = skipCooldown ? 0 : await limits.cooldownRemaining(provider.name);
      if (cooling > 0) {
        throw new ProviderError({
          status: 429,
          retryable: true,
          type: 'rate_limit_error',
          code: 'provider_cooling_down',
          provider: provider.name,
          retryAfterMs: cooling,
          message: `${provider.name} is cooling down after a rate limit; retry in ${Math.ceil(cooling / 1000)} s`,
        });
      }
      for (const [key, l] of scopes(provider, model)) {
        if (!l?.requestsPerMinute && !l?.tokensPerMinute) continue;
        const d = await limits.acquire(key, l, tokens);
        if (d.allowed) continue;
        throw new ProviderError({
          status: 429,
          retryable: true,
          type: 'rate_limit_error',
          code: 'provider_rate_limited',
          provider: provider.name,
          retryAfterMs: d.retryAfterMs,
          message: `${key}'s ${d.limit === 'rpm' ? 'requests' : 'tokens'}-per-minute limit is reached; retry in ${Math.ceil(d.retryAfterMs / 1000)} s`,
        });
      }
    },
    settle(provider, model, reserved, usage) {
      if (!limits || !usage) return;
      for (const [key, l] of scopes(provider, model)) {
        if (!l?.tokensPerMinute) continue;
        limits
          .adjustTokens(key, usage.total_tokens - reserved)
          .catch((e: unknown) =>
            logger.warn(
              { provider: provider.name, error: String(e) },
              'could not record token usage',
            ),
          );
      }
    },
    async startCooldown(provider, ms) {
      await limits?.startCooldown(provider.name, ms);
    },
  };
}
