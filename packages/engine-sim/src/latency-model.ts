/**
 * The step-time model of a continuous-batching engine: one scheduler step (one forward pass)
 * takes `b0 + b1·prefillTokens + b2·decodeTokens` microseconds, where `prefillTokens` is the
 * number of prompt tokens processed in the step and `decodeTokens` the number of sequences
 * decoding one token each. Pure: the trace replay reuses it in virtual time.
 */
export interface LatencyCoefficients {
  /** Fixed cost of a step (µs): kernel launches and reading the weights once. */
  b0: number;
  /** Cost per prefill (prompt) token in the step (µs). */
  b1: number;
  /** Cost per decode token in the step (µs). */
  b2: number;
}

/** Duration in microseconds of one step with the given prefill and decode token counts. */
export function stepTimeUs(
  c: LatencyCoefficients,
  prefillTokens: number,
  decodeTokens: number,
): number {
  return c.b0 + c.b1 * prefillTokens + c.b2 * decodeTokens;
}

/**
 * Time to first token (µs) of a request that is prefilled alone in one step, joined by
 * `otherDecoding` sequences that decode in the same step.
 */
export function ttftUs(c: LatencyCoefficients, promptTokens: number, otherDecoding = 0): number {
  return stepTimeUs(c, promptTokens, otherDecoding);
}

/** Time per output token (µs) when `concurrency` sequences decode together with no prefill. */
export function tpotUs(c: LatencyCoefficients, concurrency = 1): number {
  return stepTimeUs(c, 0, concurrency);
}

/**
 * End-to-end latency (µs) of one request alone on the engine: one prefill step that yields the
 * first token, then `outputTokens - 1` decode steps.
 */
export function soloRequestUs(
  c: LatencyCoefficients,
  promptTokens: number,
  outputTokens: number,
): number {
  return ttftUs(c, promptTokens) + Math.max(0, outputTokens - 1) * tpotUs(c, 1);
}
