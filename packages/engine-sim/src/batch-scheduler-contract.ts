// The scheduler's contract: what callers submit, what each step reports, its options and stats.
// The algorithm is in batch-scheduler.ts.
import type { Clock } from './clock.js';
import type { LatencyCoefficients } from './latency-model.js';

/** One sequence to generate: the scheduler decides when each of its tokens comes out. */
export interface SequenceSpec {
  promptTokens: number;
  /** Tokens this sequence will generate unless cancelled first (>= 1). */
  outputTokens: number;
  /**
   * Chained hashes of the prompt's full KV blocks (see prefix-block-hashes.ts), for prefix
   * caching. Without them the prompt shares nothing with other requests.
   */
  blockHashes?: readonly number[];
  /** LoRA adapter the sequence runs with (vLLM: at most `maxLoras` distinct ones per batch). */
  lora?: string;
  /** Leaves the waiting queue and joins the running batch for the first time (model time, ms). */
  onScheduled?(atMs: number): void;
  /** Token number `count` (1-based) is out at model time `atMs`. */
  onToken?(count: number, atMs: number): void;
  /** The last token is out (not called after cancel). */
  onFinish?(atMs: number): void;
}

export interface SequenceHandle {
  /** Removes the sequence from the queue or the batch and frees its KV blocks. */
  cancel(): void;
}

export interface StepInfo {
  startMs: number;
  endMs: number;
  /** Prompt tokens computed in the step (prefill chunks, including recomputation). */
  prefillTokens: number;
  /** Sequences that decode one token in the step. */
  decodeTokens: number;
  /** Running sequences (some may get no tokens in a step whose budget ran out). */
  batchSize: number;
}

/**
 * How KV blocks are taken. `on-demand` is vLLM V1: blocks as tokens are scheduled, and when
 * none are left the last-admitted running sequence is preempted. `reserve` is TGI: a
 * sequence's whole prompt + output is reserved when it is admitted, so nothing is preempted.
 */
export type KvAllocation = 'on-demand' | 'reserve';

/** The scheduler's own default token budget (vLLM v0.11's for the API server on an H100). */
export const DEFAULT_MAX_NUM_BATCHED_TOKENS = 8192;

export interface BatchSchedulerOptions {
  coefficients: LatencyCoefficients;
  /** Cap on running sequences (vLLM --max-num-seqs, TGI --max-batch-size). */
  maxNumSeqs: number;
  /** KV-cache capacity in tokens (in blocks of `blockSize`; engines size it in whole blocks). */
  kvCapacityTokens: number;
  clock: Clock;
  /** >1 runs faster than real time: model time = clock time × timeScale. */
  timeScale?: number;
  /**
   * Tokens one step may compute (vLLM --max-num-batched-tokens, TGI
   * --max-batch-prefill-tokens): running sequences take theirs first, then waiting ones; a
   * prompt longer than what is left is prefilled in chunks. Default
   * {@link DEFAULT_MAX_NUM_BATCHED_TOKENS}.
   */
  maxNumBatchedTokens?: number;
  /**
   * Split prompts longer than the budget left into chunks (vLLM V1 and TGI 3: on). Off, a
   * waiting prompt that does not fit what is left of the step's budget waits for a later step.
   */
  chunkedPrefill?: boolean;
  /** Tokens per KV block (vLLM's default 16). */
  blockSize?: number;
  /** Reuse cached full blocks of shared prompt prefixes (vLLM V1 and TGI 3: on). */
  enablePrefixCaching?: boolean;
  /** Default `on-demand` (vLLM V1). */
  kvAllocation?: KvAllocation;
  onStep?(step: StepInfo): void;
  /**
   * vLLM --max-loras: distinct LoRA adapters one batch may hold (GPU adapter slots). A waiting
   * sequence whose adapter would exceed it is skipped until a slot frees. Unset: no limit.
   */
  maxLoras?: number;
  /**
   * Model time (µs) added to a step for each adapter moved into a GPU slot it was not in (an
   * adapter swap: copying its weights from the CPU cache). Default 0.
   */
  loraSwapUs?: number;
  /**
   * A sequence's callback threw: the sequence is dropped and the batch goes on. Default:
   * rethrow on the next tick (fatal, as any uncaught error).
   */
  onCallbackError?(error: unknown): void;
}

export interface SchedulerStats {
  running: number;
  waiting: number;
  /** Tokens in the KV cache of running sequences (computed, or being computed this step). */
  kvUsedTokens: number;
  kvCapacityTokens: number;
  /** Share of KV blocks held by running sequences (vLLM's vllm:kv_cache_usage_perc). */
  kvCacheUsage: number;
  kvUsedBlocks: number;
  kvTotalBlocks: number;
  /** Tokens of admitted sequences looked up in the prefix cache (vllm:prefix_cache_queries). */
  prefixQueries: number;
  /** Of those, tokens found cached, whose prefill was skipped (vllm:prefix_cache_hits). */
  prefixHits: number;
  /** Running sequences preempted for lack of KV blocks (vllm:num_preemptions). */
  preemptions: number;
  /** Prompt tokens actually computed (after prefix hits, including recomputation). */
  prefilledTokens: number;
  /** Adapters moved into a GPU slot so far (each one cost `loraSwapUs`). */
  loraSwaps: number;
  /** Distinct adapters of running sequences, in admission order. */
  runningLoras: string[];
  /** Distinct adapters of waiting sequences, in queue order. */
  waitingLoras: string[];
}
