import type { Clock, TimerHandle } from './clock.js';
import { stepTimeUs, type LatencyCoefficients } from './latency-model.js';

/** One sequence to generate: the scheduler decides when each of its tokens comes out. */
export interface SequenceSpec {
  promptTokens: number;
  /** Tokens this sequence will generate unless cancelled first (>= 1). */
  outputTokens: number;
  /** Leaves the waiting queue and joins the running batch (model time, ms). */
  onScheduled?(atMs: number): void;
  /** Token number `count` (1-based) is out at model time `atMs`. */
  onToken?(count: number, atMs: number): void;
  /** The last token is out (not called after cancel). */
  onFinish?(atMs: number): void;
}

export interface SequenceHandle {
  /** Removes the sequence from the queue or the batch and frees its KV reservation. */
  cancel(): void;
}

export interface StepInfo {
  startMs: number;
  endMs: number;
  prefillTokens: number;
  decodeTokens: number;
  batchSize: number;
}

export interface BatchSchedulerOptions {
  coefficients: LatencyCoefficients;
  /** Cap on running sequences (vLLM --max-num-seqs, TGI --max-batch-size). */
  maxNumSeqs: number;
  /** KV-cache capacity in tokens; a running sequence reserves prompt + output tokens. */
  kvCapacityTokens: number;
  clock: Clock;
  /** >1 runs faster than real time: model time = clock time × timeScale. */
  timeScale?: number;
  onStep?(step: StepInfo): void;
  /**
   * A sequence's callback threw: the sequence is dropped and the batch goes on. Default:
   * rethrow on the next tick (fatal, as any uncaught error).
   */
  onCallbackError?(error: unknown): void;
}

export interface SchedulerStats {
  running: number;
  waiting: number;
  /** Tokens held in the KV cache by running sequences (prompt + generated so far). */
  kvUsedTokens: number;
  kvCapacityTokens: number;
}

interface Seq {
  spec: SequenceSpec;
  reserve: number;
  generated: number;
  prefilled: boolean;
  state: 'waiting' | 'running' | 'done';
}

interface Step {
  endUs: number;
  members: Seq[];
  info: StepInfo;
}

/**
 * Continuous-batching scheduler (vLLM's, simplified): each step admits waiting sequences in
 * FIFO order while the batch is under `maxNumSeqs` and their KV reservation fits, prefills the
 * new ones whole (which yields their first token) and decodes one token for every other running
 * sequence. A step lasts {@link stepTimeUs}; steps run back to back while work remains. All
 * timing goes through the injected clock, so tests advance it in virtual time.
 */
export class BatchScheduler {
  private readonly waiting: Seq[] = [];
  private readonly running: Seq[] = [];
  private readonly timeScale: number;
  private readonly origin: number;
  private kvReserved = 0;
  private step: Step | undefined;
  private timer: TimerHandle | undefined;

  constructor(private readonly options: BatchSchedulerOptions) {
    if (!(options.maxNumSeqs >= 1)) throw new RangeError('maxNumSeqs must be >= 1');
    this.timeScale = options.timeScale ?? 1;
    if (!(this.timeScale > 0)) throw new RangeError('timeScale must be > 0');
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
      reserve: spec.promptTokens + spec.outputTokens,
      generated: 0,
      prefilled: false,
      state: 'waiting',
    };
    this.waiting.push(seq);
    this.kick();
    return { cancel: () => this.cancel(seq) };
  }

  stats(): SchedulerStats {
    let used = 0;
    for (const s of this.running) used += s.spec.promptTokens + s.generated;
    return {
      running: this.running.length,
      waiting: this.waiting.length,
      kvUsedTokens: used,
      kvCapacityTokens: this.options.kvCapacityTokens,
    };
  }

  /** Cancels every sequence and stops the step timer. */
  stop(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.step = undefined;
    for (const s of [...this.waiting, ...this.running]) s.state = 'done';
    this.waiting.length = 0;
    this.running.length = 0;
    this.kvReserved = 0;
  }

  private cancel(seq: Seq): void {
    if (seq.state === 'waiting') this.waiting.splice(this.waiting.indexOf(seq), 1);
    else if (seq.state === 'running') this.release(seq);
    seq.state = 'done';
  }

  private release(seq: Seq): void {
    this.running.splice(this.running.indexOf(seq), 1);
    this.kvReserved -= seq.reserve;
  }

  /** Starts a step on the next timer tick when idle, so arrivals in the same tick batch together. */
  private kick(): void {
    if (this.step || this.timer !== undefined) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      if (!this.step) this.startStep(this.nowMs() * 1000);
    }, 0);
  }

  private startStep(startUs: number): void {
    const { maxNumSeqs, kvCapacityTokens } = this.options;
    const startMs = startUs / 1000;
    while (this.waiting.length > 0 && this.running.length < maxNumSeqs) {
      const head = this.waiting[0]!;
      if (this.kvReserved + head.reserve > kvCapacityTokens) break;
      this.waiting.shift();
      head.state = 'running';
      this.running.push(head);
      this.kvReserved += head.reserve;
      head.spec.onScheduled?.(startMs);
    }
    if (this.running.length === 0) {
      this.step = undefined;
      return;
    }
    let prefill = 0;
    let decode = 0;
    for (const s of this.running) {
      if (s.prefilled) decode += 1;
      else prefill += s.spec.promptTokens;
    }
    const endUs = startUs + stepTimeUs(this.options.coefficients, prefill, decode);
    const info: StepInfo = {
      startMs,
      endMs: endUs / 1000,
      prefillTokens: prefill,
      decodeTokens: decode,
      batchSize: this.running.length,
    };
    this.step = { endUs, members: [...this.running], info };
    const delayMs = (endUs / 1000 - this.nowMs()) / this.timeScale;
    this.timer = this.options.clock.setTimeout(() => this.onTimer(), delayMs);
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
        if (seq.state === 'running') this.release(seq);
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
    seq.prefilled = true;
    seq.generated += 1;
    seq.spec.onToken?.(seq.generated, atMs);
    if (seq.state !== 'running') return; // cancelled from onToken
    if (seq.generated >= seq.spec.outputTokens) {
      this.release(seq);
      seq.state = 'done';
      seq.spec.onFinish?.(atMs);
    }
  }
}
