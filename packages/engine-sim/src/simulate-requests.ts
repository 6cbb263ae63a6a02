import { BatchScheduler } from './batch-scheduler.js';
import type { LatencyCoefficients } from './latency-model.js';
import { VirtualClock } from './virtual-clock.js';

export interface SimulatedRequest {
  /** Arrival time in ms from the start of the run. */
  arrivalMs: number;
  promptTokens: number;
  outputTokens: number;
  /** Prefix-cache hashes of the prompt's full 16-token blocks (see prefix-block-hashes.ts). */
  blockHashes?: readonly number[];
}

export interface SimulatedTiming {
  /** When the request left the waiting queue (ms from the start). */
  scheduledMs: number;
  firstTokenMs: number;
  finishMs: number;
  /** Time to first token and end-to-end latency, from arrival. */
  ttftMs: number;
  e2eMs: number;
}

export interface SimulateRequestsOptions {
  coefficients: LatencyCoefficients;
  maxNumSeqs: number;
  kvCapacityTokens: number;
  /** Step token budget (vLLM --max-num-batched-tokens); default the scheduler's. */
  maxNumBatchedTokens?: number;
  requests: readonly SimulatedRequest[];
}

/**
 * Runs a whole request trace through one engine's continuous-batching scheduler in virtual
 * time and returns each request's timing (same order as `requests`). Pure and deterministic:
 * the trace replay (and capacity planning) get engine-sim's latency model without HTTP.
 * Requests that can never fit the KV cache throw.
 */
export function simulateRequests(options: SimulateRequestsOptions): SimulatedTiming[] {
  const clock = new VirtualClock();
  const scheduler = new BatchScheduler({
    coefficients: options.coefficients,
    maxNumSeqs: options.maxNumSeqs,
    kvCapacityTokens: options.kvCapacityTokens,
    clock,
    ...(options.maxNumBatchedTokens !== undefined
      ? { maxNumBatchedTokens: options.maxNumBatchedTokens }
      : {}),
  });
  const out: Array<Partial<SimulatedTiming>> = options.requests.map(() => ({}));
  const order = options.requests
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.arrivalMs - b.r.arrivalMs || a.i - b.i);
  for (const { r, i } of order) {
    clock.advanceTo(r.arrivalMs);
    const t = out[i]!;
    scheduler.submit({
      promptTokens: r.promptTokens,
      outputTokens: r.outputTokens,
      ...(r.blockHashes ? { blockHashes: r.blockHashes } : {}),
      onScheduled: (at) => (t.scheduledMs = at),
      onToken: (count, at) => {
        if (count === 1) t.firstTokenMs = at;
      },
      onFinish: (at) => (t.finishMs = at),
    });
  }
  clock.runAll();
  return options.requests.map((r, i) => {
    const t = out[i] as Required<
      Pick<SimulatedTiming, 'scheduledMs' | 'firstTokenMs' | 'finishMs'>
    >;
    return { ...t, ttftMs: t.firstTokenMs - r.arrivalMs, e2eMs: t.finishMs - r.arrivalMs };
  });
}
