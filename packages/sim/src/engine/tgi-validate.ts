import type { EngineRuntime } from './engine-runtime.js';

/** TGI's default cap on stop sequences (--max-stop-sequences). */
export const TGI_MAX_STOP_SEQUENCES = 4;

/**
 * TGI's validation (router/src/validation.rs): returns the error message, or the settled
 * max_new_tokens. Messages are TGI's own wording.
 */
export function validateTgi(
  runtime: EngineRuntime,
  inputTokens: number,
  maxNewTokens: number | null | undefined,
  stop: readonly string[],
): { ok: true; maxNewTokens: number } | { ok: false; message: string } {
  const maxInput = runtime.config.maxInputTokens ?? runtime.config.maxModelLen - 1;
  const maxTotal = runtime.config.maxModelLen;
  if (stop.length > TGI_MAX_STOP_SEQUENCES) {
    return {
      ok: false,
      message: `\`stop\` supports up to ${TGI_MAX_STOP_SEQUENCES} stop sequences. Given: ${stop.length}`,
    };
  }
  if (maxNewTokens !== undefined && maxNewTokens !== null && maxNewTokens < 1) {
    return { ok: false, message: '`max_new_tokens` must be strictly positive' };
  }
  if (inputTokens > maxInput) {
    return {
      ok: false,
      message: `\`inputs\` must have less than ${maxInput} tokens. Given: ${inputTokens}`,
    };
  }
  const settled = maxNewTokens ?? maxTotal - inputTokens;
  if (inputTokens + settled > maxTotal) {
    return {
      ok: false,
      message: `\`inputs\` tokens + \`max_new_tokens\` must be <= ${maxTotal}. Given: ${inputTokens} \`inputs\` tokens and ${settled} \`max_new_tokens\``,
    };
  }
  return { ok: true, maxNewTokens: settled };
}

/** TGI answers 429 once in-flight requests reach --max-concurrent-requests. */
export function tgiOverloaded(runtime: EngineRuntime): boolean {
  const s = runtime.scheduler.stats();
  return s.running + s.waiting >= (runtime.config.maxConcurrentRequests ?? Infinity);
}
