import type { ServerResponse } from 'node:http';
import type { EngineRuntime } from './engine-runtime.js';
import { sendTgiOverloaded, sendTgiValidation } from './tgi-errors.js';

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

/**
 * TGI's admission of a generation: validation (422), then the concurrency limit (429), then
 * counting it. Returns the settled max_new_tokens, or undefined when the error was sent.
 */
export function admitTgi(
  runtime: EngineRuntime,
  res: ServerResponse,
  inputTokens: number,
  maxNewTokens: number | null | undefined,
  stop: readonly string[],
): number | undefined {
  const checked = validateTgi(runtime, inputTokens, maxNewTokens, stop);
  if (!checked.ok) {
    runtime.metrics.requestFailed('validation');
    sendTgiValidation(res, checked.message);
    return undefined;
  }
  if (tgiOverloaded(runtime)) {
    runtime.metrics.requestFailed('overloaded');
    sendTgiOverloaded(res);
    return undefined;
  }
  runtime.metrics.requestReceived();
  return checked.maxNewTokens;
}
