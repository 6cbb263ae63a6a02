import {
  BatchScheduler,
  type SequenceHandle,
  type SequenceSpec,
  findGpuProfile,
  KV_BLOCK_TOKENS,
  parseParamsB,
  blockHashesFromHashIds,
  tgiDefaultMaxBatchPrefillTokens,
  vllmDefaultMaxNumBatchedTokens,
} from '@bascule/engine-sim';
import type { EventClock } from './event-clock.js';
import type { ReplayScenario } from './replay-scenario.js';

export type ReplicaState = 'starting' | 'ready' | 'draining' | 'gone';

/** A replica's prefix-cache and preemption counters (vLLM's, in tokens and preemptions). */
export interface ReplicaCacheStats {
  /** Prompt tokens looked up in the prefix cache. */
  prefixQueries: number;
  /** Of those, tokens found cached (their prefill skipped). */
  prefixHits: number;
  preemptions: number;
}

// A replay runs the same trace through several policies: hash each prompt's blocks once.
const hashCache = new WeakMap<readonly number[], number[]>();

function promptHashes(hashIds: readonly number[], promptTokens: number): number[] {
  const full = Math.floor(promptTokens / KV_BLOCK_TOKENS);
  let hashes = hashCache.get(hashIds);
  if (!hashes || (hashes.length < full && hashes.length < hashIds.length * 32)) {
    hashes = blockHashesFromHashIds(hashIds, promptTokens, KV_BLOCK_TOKENS);
    hashCache.set(hashIds, hashes);
  }
  return hashes.length > full ? hashes.slice(0, full) : hashes;
}

/**
 * The step token budget of a replica as its engine would default it on the Model's GPU:
 * vLLM's `--max-num-batched-tokens` for the API server, TGI's `--max-batch-prefill-tokens`.
 */
export function replicaStepBudget(scenario: ReplayScenario): number {
  const { spec } = scenario.model;
  const gpu = findGpuProfile(spec.gpus);
  if (!gpu) return 2048;
  if (spec.engine === 'tgi') {
    const shards = Number(spec.gpus.split(':')[1] ?? 1) || 1;
    return Math.min(
      tgiDefaultMaxBatchPrefillTokens({
        gpu,
        paramsB: parseParamsB(spec.source) ?? 8,
        shards,
        cudaMemoryFraction: 1,
      }),
      scenario.kvCapacityTokens,
    );
  }
  return vllmDefaultMaxNumBatchedTokens(gpu);
}

/**
 * One simulated engine replica: engine-sim's continuous-batching scheduler on the replay's
 * clock, scheduling as the Model's engine does (vLLM V1: chunked prefill, blocks on demand,
 * preemption; TGI: the prefill budget and reserved blocks; both with prefix caching). It holds
 * its GPUs from creation (while the model loads) until it is gone.
 */
export class SimReplica {
  state: ReplicaState = 'starting';
  inFlight = 0;
  removedAt: number | undefined;
  readonly scheduler: BatchScheduler;

  constructor(
    readonly id: number,
    readonly createdAt: number,
    readonly scenario: ReplayScenario,
    clock: EventClock,
  ) {
    this.scheduler = new BatchScheduler({
      coefficients: scenario.coefficients,
      maxNumSeqs: scenario.model.spec.maxConcurrency,
      kvCapacityTokens: scenario.kvCapacityTokens,
      clock,
      maxNumBatchedTokens: replicaStepBudget(scenario),
      blockSize: KV_BLOCK_TOKENS,
      kvAllocation: scenario.model.spec.engine === 'tgi' ? 'reserve' : 'on-demand',
    });
  }

  /**
   * Runs one request; `hashIds` are the trace's 512-token prompt block ids (Mooncake
   * `hash_ids`), which give the scheduler the prompt's prefix-cache block hashes.
   */
  submit(spec: SequenceSpec & { hashIds?: readonly number[] }): SequenceHandle {
    const { hashIds, ...rest } = spec;
    if (!hashIds || hashIds.length === 0 || rest.blockHashes) return this.scheduler.submit(rest);
    return this.scheduler.submit({
      ...rest,
      blockHashes: promptHashes(hashIds, rest.promptTokens),
    });
  }

  /** Prefix-cache queries and hits (tokens) and preemptions so far. */
  cacheStats(): ReplicaCacheStats {
    const s = this.scheduler.stats();
    return { prefixQueries: s.prefixQueries, prefixHits: s.prefixHits, preemptions: s.preemptions };
  }

  /** Takes no more requests; gone once the last one finishes. */
  drain(now: number): void {
    if (this.state === 'gone') return;
    this.state = 'draining';
    if (this.inFlight === 0) this.remove(now);
  }

  remove(now: number): void {
    this.state = 'gone';
    this.removedAt = now;
    this.scheduler.stop();
  }

  /** GPU-milliseconds held within [0, horizon]. */
  gpuMs(horizon: number): number {
    const end = Math.min(this.removedAt ?? horizon, horizon);
    return Math.max(0, end - this.createdAt);
  }
}
