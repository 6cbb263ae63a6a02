import { sigmoid } from './logistic-model.js';
import type { FeatureBuffer } from './prompt-features.js';

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
}

export interface OnlineLearnerOptions {
  learningRate?: number;
  initialAccumulator?: number;
  l2?: number;
}

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
  };
}

/** A working copy of the state with a map for fast lookups; `toState` turns it back into JSON. */
export class OnlineResidual {
  private readonly w = new Map<number, number>();
  private readonly g2 = new Map<number, number>();
  private bias: number;
  private alpha: number;
  private version: number;
  constructor(private readonly state: OnlineLearnerState) {
    if (state.format !== 'bascule.router.online/v1')
      throw new Error(`online learner state: unknown format ${JSON.stringify(state.format)}`);
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

  /** One SGD step on the log-loss of `label` (1 = the strong model was needed) at `priorLogit`. */
  update(x: FeatureBuffer, priorLogit: number, label: 0 | 1): void {
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
    this.version++;
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
    };
  }
}
