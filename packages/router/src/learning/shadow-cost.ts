import { gpuCount } from '@bascule/spec';
import type { Target } from '../targets/target.js';

/** Output tokens a shadow answer may take (max_tokens of the other tier's call). */
export const SHADOW_MAX_TOKENS = 512;
/** Output tokens of the judge's reply (A, B or TIE). */
export const JUDGE_MAX_TOKENS = 4;
/** Longest a shadow or judge call may take; bounds what a self-hosted call can cost. */
export const SHADOW_CALL_TIMEOUT_MS = 60_000;

/**
 * The most one call can cost: a Provider model at its list prices for the prompt and the whole
 * max_tokens; a Model for its GPUs held the whole timeout, unshared (the gateway meters less:
 * the time actually held, shared with the other requests in flight).
 */
export function maxCallCostUSD(
  target: Target,
  promptTokens: number,
  maxTokens: number,
  timeoutMs = SHADOW_CALL_TIMEOUT_MS,
): number {
  if (target.kind === 'provider') {
    const m = target.providerModel;
    return (promptTokens * m.inputUSDPer1M + maxTokens * m.outputUSDPer1M) / 1e6;
  }
  const gpuHour = target.model.spec.cost?.gpuHourUSD ?? 0;
  const gpus = gpuCount(target.model.spec.gpus);
  return (gpuHour * gpus * timeoutMs) / 3_600_000;
}

/** Tokens of a text, over-estimated (3 characters a token, plus a message's overhead). */
export function tokensAtMost(chars: number): number {
  return Math.ceil(chars / 3) + 8;
}
