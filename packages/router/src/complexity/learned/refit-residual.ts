import { seededRandom } from '../../evaluation/routing-metrics.js';
import { sigmoid } from './logistic-model.js';
import { DENSE_COUNT } from './prompt-features.js';

/**
 * One buffered outcome, as the online learner keeps it: the prompt's sparse features (indices
 * and values, rounded to 4 decimals so the JSON copy equals the in-memory one), the prior's
 * calibrated logit at the time, and the label (1 = the strong model was needed).
 */
export type BufferedExample = [idx: number[], val: number[], priorLogit: number, label: 0 | 1];

/** The residual a refit produces: z = priorWeight·prior + bias + Σ w_i·x_i. */
export interface ResidualFit {
  bias: number;
  priorWeight: number;
  weights: Map<number, number>;
  /** Per-weight squared-gradient sums of the fit, divided by the epochs (seeds later SGD steps). */
  accumulators: Map<number, number>;
  /** The L2 strengths used (chosen by cross-validation when the buffer is large enough). */
  l2: RefitL2;
}

/** L2 on the hashed n-gram weights, and on the few dense ones (length, structure...). */
export interface RefitL2 {
  hashed: number;
  dense: number;
}

/**
 * Candidate L2 strengths for the hashed weights, a decade apart, wide enough that no data set
 * needs its own constant; the dense weights take either the same strength or the light one the
 * prior's fit uses (1e-4): cross-validation picks the pair.
 */
export const REFIT_L2_GRID = [1e-3, 1e-2, 1e-1, 1] as const;
export const REFIT_L2_DENSE_LIGHT = 1e-4;
/** Below this many examples the refit does not cross-validate and takes the strong fallback. */
export const REFIT_CV_MIN = 200;
export const REFIT_FALLBACK_L2: RefitL2 = { hashed: 1e-1, dense: 1e-1 };
const FOLDS = 3;
const EPOCHS = 12;
const LEARNING_RATE = 0.2;

/**
 * Refits the residual on the buffered outcomes, full passes instead of one: L2-regularised
 * logistic regression with the prior's logit as an offset (its weight is fitted too, unpenalised,
 * so a prior that misleads on this distribution can fade), by EPOCHS seeded-shuffled passes of AdaGrad from zero. The L2 strength is
 * chosen by FOLDS-fold cross-validation on the buffer (the grid value with the lowest out-of-fold
 * log-loss) once it holds REFIT_CV_MIN examples; below that the strong fallback is used.
 * Pure and deterministic: the same buffer gives the same fit, bit for bit.
 */
export function refitResidual(examples: readonly BufferedExample[], l2?: RefitL2): ResidualFit {
  const chosen = l2 ?? chooseL2(examples);
  return { ...fit(examples, examples.keys(), chosen), l2: chosen };
}

/** The grid pair with the lowest out-of-fold log-loss (folds by position, interleaved). */
export function chooseL2(examples: readonly BufferedExample[]): RefitL2 {
  if (examples.length < REFIT_CV_MIN) return REFIT_FALLBACK_L2;
  let best = REFIT_FALLBACK_L2;
  let bestLoss = Infinity;
  const grid = REFIT_L2_GRID.flatMap((h) => [
    { hashed: h, dense: h },
    { hashed: h, dense: REFIT_L2_DENSE_LIGHT },
  ]);
  for (const l2 of grid) {
    const oof = new Array<number>(examples.length);
    for (let f = 0; f < FOLDS; f++) {
      const train = [...examples.keys()].filter((i) => i % FOLDS !== f);
      const m = fit(examples, train, l2);
      for (let i = f; i < examples.length; i += FOLDS) oof[i] = logit(m, examples[i]!);
    }
    const score = logLoss(oof, examples);
    if (score < bestLoss) {
      bestLoss = score;
      best = l2;
    }
  }
  return best;
}

function logLoss(z: number[], examples: readonly BufferedExample[]): number {
  let loss = 0;
  for (let i = 0; i < z.length; i++) {
    const p = sigmoid(z[i]!);
    loss -= Math.log(Math.max(1e-12, examples[i]![3] ? p : 1 - p));
  }
  return loss;
}

function logit(m: Omit<ResidualFit, 'l2'>, [idx, val, prior]: BufferedExample): number {
  let z = m.bias + m.priorWeight * prior;
  for (let k = 0; k < idx.length; k++) z += (m.weights.get(idx[k]!) ?? 0) * val[k]!;
  return z;
}

function fit(
  examples: readonly BufferedExample[],
  rows: Iterable<number>,
  l2: RefitL2,
): Omit<ResidualFit, 'l2'> {
  const order = [...rows];
  const w = new Map<number, number>();
  const g2 = new Map<number, number>();
  let bias = 0;
  let gBias = 1e-8;
  let alpha = 1;
  let gAlpha = 1e-8;
  const rnd = seededRandom(17);
  for (let e = 0; e < EPOCHS; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const r of order) {
      const ex = examples[r]!;
      const [idx, val, prior, y] = ex;
      let z = bias + alpha * prior;
      for (let k = 0; k < idx.length; k++) z += (w.get(idx[k]!) ?? 0) * val[k]!;
      const err = sigmoid(z) - y;
      gBias += err * err;
      bias -= (LEARNING_RATE * err) / Math.sqrt(gBias);
      const ga = err * prior;
      gAlpha += ga * ga;
      alpha -= (LEARNING_RATE * ga) / Math.sqrt(gAlpha);
      for (let k = 0; k < idx.length; k++) {
        const f = idx[k]!;
        const v = w.get(f) ?? 0;
        const g = err * val[k]! + (f < DENSE_COUNT ? l2.dense : l2.hashed) * v;
        const acc = (g2.get(f) ?? 1e-8) + g * g;
        g2.set(f, acc);
        w.set(f, v - (LEARNING_RATE * g) / Math.sqrt(acc));
      }
    }
  }
  const accumulators = new Map<number, number>();
  for (const [i, v] of g2) accumulators.set(i, v / EPOCHS);
  accumulators.set(-1, gBias / EPOCHS);
  accumulators.set(-2, gAlpha / EPOCHS);
  return { bias, priorWeight: alpha, weights: w, accumulators };
}
