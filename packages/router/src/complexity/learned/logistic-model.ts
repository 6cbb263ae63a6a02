import {
  blockOffsets,
  DENSE_COUNT,
  DENSE_FEATURES,
  type FeatureBuffer,
  type FeatureShape,
} from './prompt-features.js';

/**
 * A logistic model over the prompt features: z = bias + w · x, p = sigmoid(a·z + b) where (a, b)
 * is a Platt calibration fitted on out-of-fold predictions. `weights` is flat: the dense
 * features, then the hashed word block, then the hashed character block (see blockOffsets).
 */
export interface LogisticModel {
  shape: FeatureShape;
  bias: number;
  weights: Float64Array;
  calibration: { a: number; b: number };
}

export function createZeroModel(shape: FeatureShape): LogisticModel {
  return {
    shape,
    bias: 0,
    weights: new Float64Array(blockOffsets(shape).total),
    calibration: { a: 1, b: 0 },
  };
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** The raw margin bias + w · x. */
export function margin(model: LogisticModel, x: FeatureBuffer): number {
  const w = model.weights;
  const idx = x.idx;
  const val = x.val;
  let z = model.bias;
  for (let k = 0; k < x.n; k++) z += w[idx[k]!]! * val[k]!;
  return z;
}

/** Calibrated probability. */
export function probability(model: LogisticModel, x: FeatureBuffer): number {
  return sigmoid(model.calibration.a * margin(model, x) + model.calibration.b);
}

/** Human-readable name of a feature index; hashed features say their block and bucket. */
export function featureName(shape: FeatureShape, index: number): string {
  if (index < DENSE_COUNT) return DENSE_FEATURES[index]!;
  const { char } = blockOffsets(shape);
  return index < char ? `word#${index - DENSE_COUNT}` : `char#${index - char}`;
}
