import { sigmoid } from './logistic-model.js';
import type { FeatureBuffer } from './prompt-features.js';
import { refitResidual, type BufferedExample, type RefitL2 } from './refit-residual.js';

/**
 * The online part of the learned scorer: a residual logistic model on top of the shipped prior,
 * z = α·(prior logit) + bias + Σ w_i·x_i over the same features (α starts at 1), fitted by plain SGD on the log-loss
 * one labelled outcome at a time (feedback, shadow verdicts, `pnpm eval routing --learn`).
 * Starting from zero it scores exactly as the prior; L2 pulls the residual back toward the prior,
 * so a few noisy labels move it a little and many consistent ones move it a lot.
 *
 * The state is plain JSON (weights as sorted [index, weight] pairs) with a version that counts
 * updates, so replicas can share it and a bad update can be rolled back to an earlier version.
 * Deterministic: the same outcomes in the same order give the same state, bit for bit.
 *
 * One SGD pass from the prior does not extract what in-domain labels hold, so the learner also
 * keeps the last `bufferCap` outcomes (FIFO, default 2,000; features, prior logit and label, no text) and refits
 * the residual, its bias and the prior's weight on them with full passes and an L2 strength chosen
 * by cross-validation (refit-residual.ts): automatically once REFIT_MIN_NEW outcomes, and half the
 * buffer, have arrived since the last refit, and on `refit()` (the end of a `--learn` run). Between
 * refits each outcome still takes its SGD step. `bufferCap: 0` turns buffer and refits off (the
 * single-pass learner). States written before the buffer existed load as buffer-less v1 states
 * with the default cap, and start buffering from their next outcome.
 */
export interface OnlineLearnerState {
  format: 'bascule.router.online/v1';
  /** Version of the prior artefact these residual weights were learned on top of. */
  priorVersion: string;
  /** Incremented by every update. */
  version: number;
  /**
   * Base learning rate. Each weight's step is learningRate / sqrt(g0 + sum of its squared past
   * gradients) (AdaGrad): rare features keep a large step, frequent ones settle.
   */
  learningRate: number;
  /** g0 of the step above: the larger, the smaller the first steps. */
  initialAccumulator: number;
  /** L2 strength toward the prior (per update, on the weights the update touches). */
  l2: number;
  bias: number;
  /** Weight of the prior's logit (starts at 1; learned, so a prior that misleads can fade). */
  priorWeight: number;
  /** Residual weights, sorted by feature index. */
  weights: [number, number][];
  /** Squared-gradient sums per feature index (bias -1, prior weight -2), sorted by index. */
  accumulators: [number, number][];
  /** Most outcomes the refit buffer keeps (oldest dropped first); 0 = no buffer, no refits. */
  bufferCap?: number;
  /** The buffered outcomes, oldest first (see BufferedExample). */
  buffer?: BufferedExample[];
  /** Outcomes fed since the last refit. */
  sinceRefit?: number;
  /** The L2 strengths the last cross-validated refit chose (absent before the first refit). */
  refitL2?: RefitL2;
  /** Buffer size at that cross-validation: automatic refits reuse its choice until it doubles. */
  refitL2At?: number;
}

export interface OnlineLearnerOptions {
  learningRate?: number;
  initialAccumulator?: number;
  l2?: number;
  /** Refit buffer size (default DEFAULT_BUFFER_CAP; 0 = single-pass SGD only). */
  bufferCap?: number;
}

/**
 * 2,000 outcomes by default: a gateway stores the state (with a version history) in Redis, at
 * 1.3-1.6 kB of JSON per outcome with the shipped 4,096 word buckets (~3 MB at this cap), and
 * refits it synchronously. `pnpm eval routing --learn` raises the cap to EVAL_BUFFER_CAP so a
 * whole labelled file is refitted on.
 */
export const DEFAULT_BUFFER_CAP = 2000;
/** The cap `pnpm eval routing --learn` uses: the few thousand lines of a labelled split. */
export const EVAL_BUFFER_CAP = 20000;
/** Fewest new outcomes between automatic refits (and the fewest a buffer needs for one). */
export const REFIT_MIN_NEW = 50;
/** Most new outcomes between automatic refits once the buffer is large. */
export const REFIT_MAX_NEW = 1000;

/**
 * Defaults chosen on a validation fold of MMLU-Pro training rows (never the held-out split),
 * learning from a prior fitted on the chat prompts only: the largest rate that did not get worse
 * with more outcomes. See docs/routing.md.
 */
export const DEFAULT_ONLINE_LEARNING_RATE = 0.1;
export const DEFAULT_ONLINE_G0 = 0.1;
export const DEFAULT_ONLINE_L2 = 1e-3;

export function createOnlineState(
  priorVersion: string,
  opts: OnlineLearnerOptions = {},
): OnlineLearnerState {
  return {
    format: 'bascule.router.online/v1',
    priorVersion,
    version: 0,
    learningRate: opts.learningRate ?? DEFAULT_ONLINE_LEARNING_RATE,
    initialAccumulator: opts.initialAccumulator ?? DEFAULT_ONLINE_G0,
    l2: opts.l2 ?? DEFAULT_ONLINE_L2,
    bias: 0,
    priorWeight: 1,
    weights: [],
    accumulators: [],
    bufferCap: opts.bufferCap ?? DEFAULT_BUFFER_CAP,
    buffer: [],
    sinceRefit: 0,
  };
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** A working copy of the state with a map for fast lookups; `toState` turns it back into JSON. */
export class OnlineResidual {
  private readonly w = new Map<number, number>();
  private readonly g2 = new Map<number, number>();
  private bias: number;
  private alpha: number;
  private version: number;
  private readonly buffer: BufferedExample[];
  private readonly cap: number;
  private sinceRefit: number;
  private refitL2: RefitL2 | undefined;
  private refitL2At: number;
  constructor(private readonly state: OnlineLearnerState) {
    if (state.format !== 'bascule.router.online/v1')
      throw new Error(`online learner state: unknown format ${JSON.stringify(state.format)}`);
    this.cap = state.bufferCap ?? DEFAULT_BUFFER_CAP;
    if (!Number.isInteger(this.cap) || this.cap < 0)
      throw new Error(`online learner state: bufferCap must be a non-negative integer`);
    if (state.buffer !== undefined && !Array.isArray(state.buffer))
      throw new Error(`online learner state: buffer must be an array`);
    for (const [k, e] of (state.buffer ?? []).entries())
      if (!Array.isArray(e) || e.length !== 4 || !Array.isArray(e[0]) || !Array.isArray(e[1]))
        throw new Error(
          `online learner state: buffer[${k}] must be [indices, values, priorLogit, label]`,
        );
    this.buffer = this.cap === 0 ? [] : (state.buffer ?? []).slice(-this.cap);
    this.sinceRefit = state.sinceRefit ?? 0;
    this.refitL2 = state.refitL2;
    this.refitL2At = state.refitL2At ?? 0;
    for (const [i, v] of state.weights) this.w.set(i, v);
    for (const [i, v] of state.accumulators) this.g2.set(i, v);
    this.bias = state.bias;
    this.alpha = state.priorWeight;
    this.version = state.version;
  }

  get priorVersion(): string {
    return this.state.priorVersion;
  }

  /** The residual intercept. */
  get intercept(): number {
    return this.bias;
  }

  /** The learned weight of the prior's logit. */
  get priorWeight(): number {
    return this.alpha;
  }

  /** Indices of every residual weight, for rebuilding a combined weight vector. */
  indices(): IterableIterator<number> {
    return this.w.keys();
  }

  /** One residual weight (0 where no outcome touched it). */
  weight(i: number): number {
    return this.w.get(i) ?? 0;
  }

  /** The residual logit for these features. */
  margin(x: FeatureBuffer): number {
    if (this.w.size === 0) return this.bias;
    let z = this.bias;
    for (let k = 0; k < x.n; k++) {
      const v = this.w.get(x.idx[k]!);
      if (v !== undefined) z += v * x.val[k]!;
    }
    return z;
  }

  /** Outcomes in the refit buffer. */
  get buffered(): number {
    return this.buffer.length;
  }

  /**
   * One SGD step on the log-loss of `label` (1 = the strong model was needed) at `priorLogit`;
   * buffers the outcome and refits when due. Returns true when it refitted (every weight may move).
   */
  update(x: FeatureBuffer, priorLogit: number, label: 0 | 1): boolean {
    this.step(x, priorLogit, label);
    this.version++;
    if (this.cap === 0) return false;
    const idx: number[] = [];
    const val: number[] = [];
    for (let k = 0; k < x.n; k++) {
      idx.push(x.idx[k]!);
      val.push(round4(x.val[k]!));
    }
    this.buffer.push([idx, val, round4(priorLogit), label]);
    if (this.buffer.length > this.cap) this.buffer.splice(0, this.buffer.length - this.cap);
    this.sinceRefit++;
    const due = Math.max(REFIT_MIN_NEW, Math.min(REFIT_MAX_NEW, this.buffer.length >> 1));
    if (this.sinceRefit < due) return false;
    // Cross-validation is the costly part: reuse the last choice until the buffer has doubled.
    const reuse = this.refitL2 !== undefined && this.buffer.length < 2 * this.refitL2At;
    return this.fit(reuse ? this.refitL2 : undefined);
  }

  /**
   * Refits the residual on the buffer (refit-residual.ts), replacing what the SGD steps learned.
   * No-op (false) with fewer than REFIT_MIN_NEW buffered outcomes. Counts as one version (an
   * automatic refit inside `update` is part of that update's version). Chooses the L2 strengths
   * by cross-validation on the buffer.
   */
  refit(): boolean {
    // Already fitted, with cross-validation, on exactly this buffer: nothing to do.
    if (this.sinceRefit === 0 && this.refitL2At === this.buffer.length && this.refitL2) return true;
    if (!this.fit(undefined)) return false;
    this.version++;
    return true;
  }

  private fit(l2: RefitL2 | undefined): boolean {
    if (this.buffer.length < REFIT_MIN_NEW) return false;
    const fit = refitResidual(this.buffer, l2);
    if (!l2) this.refitL2At = this.buffer.length;
    this.w.clear();
    for (const [i, v] of fit.weights) if (v !== 0) this.w.set(i, v);
    this.g2.clear();
    for (const [i, v] of fit.accumulators) this.g2.set(i, v);
    this.bias = fit.bias;
    this.alpha = fit.priorWeight;
    this.refitL2 = fit.l2;
    this.sinceRefit = 0;
    return true;
  }

  private step(x: FeatureBuffer, priorLogit: number, label: 0 | 1): void {
    const { learningRate: lr, initialAccumulator: g0, l2 } = this.state;
    const err = sigmoid(this.alpha * priorLogit + this.margin(x)) - label;
    const gb = (this.g2.get(-1) ?? g0) + err * err;
    this.g2.set(-1, gb);
    this.bias -= (lr * err) / Math.sqrt(gb);
    const ga = err * priorLogit;
    const gaAcc = (this.g2.get(-2) ?? g0) + ga * ga;
    this.g2.set(-2, gaAcc);
    this.alpha -= (lr * ga) / Math.sqrt(gaAcc);
    for (let k = 0; k < x.n; k++) {
      const i = x.idx[k]!;
      const v = this.w.get(i) ?? 0;
      const g = err * x.val[k]! + l2 * v;
      const acc = (this.g2.get(i) ?? g0) + g * g;
      this.g2.set(i, acc);
      this.w.set(i, v - (lr * g) / Math.sqrt(acc));
    }
  }

  toState(): OnlineLearnerState {
    const weights = [...this.w.entries()].filter(([, v]) => v !== 0).sort((a, b) => a[0] - b[0]);
    const accumulators = [...this.g2.entries()].sort((a, b) => a[0] - b[0]);
    return {
      ...this.state,
      version: this.version,
      bias: this.bias,
      priorWeight: this.alpha,
      weights,
      accumulators,
      bufferCap: this.cap,
      buffer: this.buffer.map(([i, v, p, y]) => [[...i], [...v], p, y]),
      sinceRefit: this.sinceRefit,
      ...(this.refitL2 === undefined ? {} : { refitL2: this.refitL2, refitL2At: this.refitL2At }),
    };
  }
}
