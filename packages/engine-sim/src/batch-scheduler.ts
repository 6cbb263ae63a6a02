import type { TimerHandle } from './clock.js';
import { KvBlockPool } from './kv-block-pool.js';
import { KV_BLOCK_TOKENS } from './kv-capacity.js';
import { stepTimeUs } from './latency-model.js';
import { mixHash } from './prefix-block-hashes.js';
import {
  DEFAULT_MAX_NUM_BATCHED_TOKENS,
  type BatchSchedulerOptions,
  type SchedulerStats,
  type SequenceHandle,
  type SequenceSpec,
  type StepInfo,
} from './batch-scheduler-contract.js';

export * from './batch-scheduler-contract.js';

interface Seq {
  spec: SequenceSpec;
  /** Hash seed of blocks that belong to this sequence alone (past its shared prefix). */
  own: number;
  blocks: number[];
  /** Tokens whose KV is computed. */
  computed: number;
  generated: number;
  /** Tokens scheduled in the current step. */
  scheduled: number;
  /** Counts as a decode in the current step. */
  decoding: boolean;
  everScheduled: boolean;
  state: 'waiting' | 'running' | 'done';
  /** Model time (µs) it was submitted: no step that starts earlier may admit it. */
  arrivedUs: number;
}

interface Step {
  endUs: number;
  members: Seq[];
  info: StepInfo;
}

/**
 * Continuous-batching scheduler after vLLM V1's (vllm/v1/core/sched/scheduler.py, v0.11). A
 * step has a token budget. Running sequences come first, in the order they were admitted: a
 * decoding one takes its one token, one still prefilling takes the next chunk of its prompt
 * (what is left of the budget). Then, unless someone was preempted in this step, waiting
 * sequences are admitted in FIFO order while the batch is under `maxNumSeqs`, budget is left
 * and their blocks fit: each first takes the longest cached prefix of its prompt (whole blocks,
 * always leaving the last token to compute), then a chunk of the rest. A running sequence that
 * needs a block when none is free preempts the last-admitted running sequence (possibly
 * itself): its blocks are freed (they stay cached until evicted) and it goes back to the front
 * of the waiting queue, to be recomputed. A sequence whose computed tokens reach its length
 * emits a token at the end of the step; full blocks are cached by their chained hash; freed
 * blocks are evicted least recently used first. A step lasts {@link stepTimeUs} of its prefill
 * and decode tokens; steps run back to back while work remains. All timing goes through the
 * injected clock, so tests advance it in virtual time.
 */
export class BatchScheduler {
  private readonly waiting: Seq[] = [];
  private readonly running: Seq[] = [];
  private readonly timeScale: number;
  private readonly origin: number;
  private readonly budget: number;
  private readonly blockSize: number;
  private readonly caching: boolean;
  private readonly reserve: boolean;
  private readonly chunked: boolean;
  private readonly numBlocks: number;
  private poolRef: KvBlockPool | undefined;
  private step: Step | undefined;
  private timer: TimerHandle | undefined;
  private nextUid = 1;
  private counters = {
    prefixQueries: 0,
    prefixHits: 0,
    preemptions: 0,
    prefilledTokens: 0,
    loraSwaps: 0,
  };
  /** Adapters in GPU slots, least recently used first (at most maxLoras). */
  private readonly loraSlots: string[] = [];

  constructor(private readonly options: BatchSchedulerOptions) {
    if (!(options.maxNumSeqs >= 1)) throw new RangeError('maxNumSeqs must be >= 1');
    this.timeScale = options.timeScale ?? 1;
    if (!(this.timeScale > 0)) throw new RangeError('timeScale must be > 0');
    this.budget = options.maxNumBatchedTokens ?? DEFAULT_MAX_NUM_BATCHED_TOKENS;
    if (!(this.budget >= 1)) throw new RangeError('maxNumBatchedTokens must be >= 1');
    this.blockSize = options.blockSize ?? KV_BLOCK_TOKENS;
    if (!(Number.isInteger(this.blockSize) && this.blockSize >= 1))
      throw new RangeError('blockSize must be an integer >= 1');
    this.caching = options.enablePrefixCaching ?? true;
    this.reserve = (options.kvAllocation ?? 'on-demand') === 'reserve';
    this.chunked = options.chunkedPrefill ?? true;
    // whole blocks covering the capacity, so every sequence that fits() can always run alone
    this.numBlocks = Math.max(1, Math.ceil(options.kvCapacityTokens / this.blockSize));
    this.origin = options.clock.now();
  }

  /** Model time in ms since the scheduler was created. */
  nowMs(): number {
    return (this.options.clock.now() - this.origin) * this.timeScale;
  }

  /** Whether a sequence of this size could ever be admitted. */
  fits(promptTokens: number, outputTokens: number): boolean {
    return promptTokens + outputTokens <= this.options.kvCapacityTokens;
  }

  submit(spec: SequenceSpec): SequenceHandle {
    if (!(spec.outputTokens >= 1)) throw new RangeError('outputTokens must be >= 1');
    if (!this.fits(spec.promptTokens, spec.outputTokens)) {
      throw new RangeError(
        `sequence needs ${spec.promptTokens + spec.outputTokens} KV tokens; capacity is ${this.options.kvCapacityTokens}`,
      );
    }
    const seq: Seq = {
      spec,
      own: mixHash(0x0ddba11, this.nextUid++),
      blocks: [],
      computed: 0,
      generated: 0,
      scheduled: 0,
      decoding: false,
      everScheduled: false,
      state: 'waiting',
      arrivedUs: this.nowMs() * 1000,
    };
    this.waiting.push(seq);
    this.kick();
    return { cancel: () => this.cancel(seq) };
  }

  stats(): SchedulerStats {
    let used = 0;
    for (const s of this.running) used += s.computed + s.scheduled;
    const usedBlocks = this.poolRef?.usedBlocks ?? 0;
    return {
      running: this.running.length,
      waiting: this.waiting.length,
      kvUsedTokens: used,
      kvCapacityTokens: this.options.kvCapacityTokens,
      kvCacheUsage: usedBlocks / this.numBlocks,
      kvUsedBlocks: usedBlocks,
      kvTotalBlocks: this.numBlocks,
      ...this.counters,
      runningLoras: distinctLoras(this.running),
      waitingLoras: distinctLoras(this.waiting),
    };
  }

  /** The KV blocks, made on first use: an engine that never serves holds no block arrays. */
  private get pool(): KvBlockPool {
    return (this.poolRef ??= new KvBlockPool(this.numBlocks));
  }

  /** Cancels every sequence and stops the step timer. */
  stop(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.step = undefined;
    for (const s of this.waiting) s.state = 'done';
    for (const s of [...this.running]) this.finish(s);
    this.waiting.length = 0;
  }

  private cancel(seq: Seq): void {
    if (seq.state === 'waiting') this.waiting.splice(this.waiting.indexOf(seq), 1);
    else if (seq.state === 'running') this.finish(seq);
    seq.state = 'done';
  }

  /** Leaves the batch and frees its blocks (they stay cached until evicted). */
  private finish(seq: Seq): void {
    this.running.splice(this.running.indexOf(seq), 1);
    this.pool.release(seq.blocks);
    seq.blocks = [];
    seq.scheduled = 0;
    seq.state = 'done';
  }

  /** Starts a step on the next timer tick when idle, so arrivals in the same tick batch together. */
  private kick(): void {
    if (this.step || this.timer !== undefined) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      if (!this.step) this.startStep(this.nowMs() * 1000);
    }, 0);
  }

  private hashOf(seq: Seq, block: number): number {
    const shared = seq.spec.blockHashes;
    return shared && block < shared.length ? shared[block]! : mixHash(seq.own, block);
  }

  /** Gives the sequence blocks for its first `tokens` tokens; false if too few are free. */
  private grow(seq: Seq, tokens: number): boolean {
    const need = Math.ceil(tokens / this.blockSize) - seq.blocks.length;
    if (need <= 0) return true;
    if (need > this.pool.freeBlocks) return false;
    for (let i = 0; i < need; i++) seq.blocks.push(this.pool.allocate());
    return true;
  }

  private preemptLast(): Seq {
    const victim = this.running.pop()!;
    if (this.caching) {
      // its full blocks stay cached (until evicted), so its recompute can hit them
      const full = Math.floor(victim.computed / this.blockSize);
      for (let i = victim.spec.blockHashes?.length ?? 0; i < full; i++)
        this.pool.cache(victim.blocks[i]!, this.hashOf(victim, i));
    }
    this.pool.release(victim.blocks);
    victim.blocks = [];
    victim.computed = 0;
    victim.scheduled = 0;
    victim.state = 'waiting';
    this.waiting.unshift(victim);
    this.counters.preemptions += 1;
    return victim;
  }

  private schedule(seq: Seq, tokens: number): void {
    const length = seq.spec.promptTokens + seq.generated;
    seq.scheduled = tokens;
    seq.decoding = seq.generated > 0 && seq.computed === length - 1;
  }

  /** Admits the head of the waiting queue with up to `budget` tokens; false if it does not fit. */
  private admit(seq: Seq, budget: number): boolean {
    const length = seq.spec.promptTokens + seq.generated;
    const hits: number[] = [];
    let takesFree = 0;
    if (this.caching) {
      const maxHit = Math.floor((length - 1) / this.blockSize);
      for (let i = 0; i < maxHit; i++) {
        const b = this.pool.lookup(this.hashOf(seq, i));
        if (b === undefined) break;
        hits.push(b);
        if (this.pool.isFree(b)) takesFree += 1;
      }
    }
    const computed = hits.length * this.blockSize;
    const tokens = Math.min(length - computed, budget);
    if (!this.chunked && tokens < length - computed) return false;
    const target = this.reserve ? seq.spec.promptTokens + seq.spec.outputTokens : computed + tokens;
    const need = Math.ceil(target / this.blockSize) - hits.length;
    if (need + takesFree > this.pool.freeBlocks) return false;
    for (const b of hits) this.pool.touch(b);
    seq.blocks = hits;
    seq.computed = computed;
    this.grow(seq, target);
    if (this.caching) {
      this.counters.prefixQueries += length;
      this.counters.prefixHits += computed;
    }
    this.schedule(seq, tokens);
    return true;
  }

  private startStep(fromUs: number): void {
    // A late timer makes the next step start behind the clock (steps run back to back in model
    // time); one with nothing running starts no earlier than the first waiting arrival, and a
    // sequence that arrived after the step's start waits for the next one, so no queue time or
    // TTFT comes out negative.
    const first = this.waiting[0];
    const startUs = this.running.length === 0 && first ? Math.max(fromUs, first.arrivedUs) : fromUs;
    const startMs = startUs / 1000;
    let budget = this.budget;
    let preempted = false;
    const members: Seq[] = [];
    // Running sequences first, in admission order.
    for (let i = 0; i < this.running.length && budget > 0; i++) {
      const seq = this.running[i]!;
      const length = seq.spec.promptTokens + seq.generated;
      const tokens = Math.min(length - seq.computed, budget);
      let admitted = true;
      while (!this.grow(seq, seq.computed + tokens)) {
        preempted = true;
        if (this.preemptLast() === seq) {
          admitted = false;
          break;
        }
      }
      if (!admitted) break;
      this.schedule(seq, tokens);
      budget -= tokens;
      members.push(seq);
    }
    // Then waiting ones, unless this step had to preempt. As vLLM, a sequence whose adapter
    // would take the batch past maxLoras distinct adapters is skipped (it keeps its place).
    const loras = new Set<string>();
    for (const s of this.running) if (s.spec.lora !== undefined) loras.add(s.spec.lora);
    const maxLoras = this.options.maxLoras ?? Infinity;
    let at = 0;
    while (
      !preempted &&
      budget > 0 &&
      at < this.waiting.length &&
      this.running.length < this.options.maxNumSeqs
    ) {
      const head = this.waiting[at]!;
      if (head.arrivedUs > startUs) break;
      const lora = head.spec.lora;
      if (lora !== undefined && !loras.has(lora) && loras.size >= maxLoras) {
        at += 1;
        continue;
      }
      if (!this.admit(head, budget)) break;
      if (lora !== undefined) loras.add(lora);
      this.waiting.splice(at, 1);
      head.state = 'running';
      this.running.push(head);
      budget -= head.scheduled;
      members.push(head);
      if (!head.everScheduled) {
        head.everScheduled = true;
        head.spec.onScheduled?.(startMs);
      }
    }
    if (members.length === 0) {
      this.step = undefined;
      return;
    }
    let prefill = 0;
    let decode = 0;
    for (const s of members) {
      if (s.decoding) decode += 1;
      else prefill += s.scheduled;
    }
    this.counters.prefilledTokens += prefill;
    const swaps = this.placeLoras(members);
    const endUs =
      startUs +
      stepTimeUs(this.options.coefficients, prefill, decode) +
      swaps * (this.options.loraSwapUs ?? 0);
    const info: StepInfo = {
      startMs,
      endMs: endUs / 1000,
      prefillTokens: prefill,
      decodeTokens: decode,
      batchSize: this.running.length,
    };
    this.step = { endUs, members, info };
    const delayMs = (endUs / 1000 - this.nowMs()) / this.timeScale;
    this.timer = this.options.clock.setTimeout(() => this.onTimer(), delayMs);
  }

  /**
   * Puts the step's adapters in GPU slots (least recently used evicted first) and returns how
   * many were not there: each is a swap, which costs the step time.
   */
  private placeLoras(members: readonly Seq[]): number {
    if (this.options.maxLoras === undefined) return 0;
    let swaps = 0;
    for (const s of members) {
      const lora = s.spec.lora;
      if (lora === undefined) continue;
      const i = this.loraSlots.indexOf(lora);
      if (i >= 0) this.loraSlots.splice(i, 1);
      else swaps += 1;
      this.loraSlots.push(lora);
    }
    while (this.loraSlots.length > this.options.maxLoras) this.loraSlots.shift();
    this.counters.loraSwaps += swaps;
    return swaps;
  }

  private onTimer(): void {
    this.timer = undefined;
    // Complete the step the timer was armed for, then any later ones already due (a coarse
    // wall-clock timer can fire late; the model time of each token stays exact).
    while (this.step) {
      const step = this.step;
      this.completeStep(step);
      if (this.step !== step) return; // stopped from a callback
      this.startStep(step.endUs);
      if (!this.step || this.timer === undefined) return;
      if (this.step.endUs > this.nowMs() * 1000) return;
      this.options.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private completeStep(step: Step): void {
    const atMs = step.endUs / 1000;
    this.options.onStep?.(step.info);
    for (const seq of step.members) {
      if (seq.state !== 'running') continue;
      try {
        this.advance(seq, atMs);
      } catch (error) {
        if (seq.state === 'running') this.finish(seq);
        seq.state = 'done';
        if (this.options.onCallbackError) this.options.onCallbackError(error);
        else
          queueMicrotask(() => {
            throw error;
          });
      }
    }
  }

  private advance(seq: Seq, atMs: number): void {
    const before = seq.computed;
    seq.computed += seq.scheduled;
    seq.scheduled = 0;
    if (this.caching) {
      // Only blocks of the shared prompt prefix can be hit by another sequence; the
      // sequence's own blocks are cached when it is preempted (see preemptLast).
      const shared = Math.min(seq.spec.blockHashes?.length ?? 0, seq.blocks.length);
      const full = Math.min(Math.floor(seq.computed / this.blockSize), shared);
      for (let i = Math.floor(before / this.blockSize); i < full; i++)
        this.pool.cache(seq.blocks[i]!, seq.spec.blockHashes![i]!);
    }
    if (seq.computed < seq.spec.promptTokens + seq.generated) return; // a prefill chunk
    seq.generated += 1;
    seq.spec.onToken?.(seq.generated, atMs);
    if (seq.state !== 'running') return; // cancelled from onToken
    if (seq.generated >= seq.spec.outputTokens) {
      this.finish(seq);
      seq.spec.onFinish?.(atMs);
    }
  }
}

function distinctLoras(seqs: readonly Seq[]): string[] {
  const out = new Set<string>();
  for (const s of seqs) if (s.spec.lora !== undefined) out.add(s.spec.lora);
  return [...out];
}
