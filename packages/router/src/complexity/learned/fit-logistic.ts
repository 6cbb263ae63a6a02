import type { FeatureBuffer, FeatureShape } from './prompt-features.js';
import { blockOffsets } from './prompt-features.js';
import { createZeroModel, margin, sigmoid, type LogisticModel } from './logistic-model.js';
import { seededRandom } from '../../evaluation/routing-metrics.js';

/** One training row: its features (copied out of a buffer), label and weight. */
export interface TrainingRow {
  idx: Int32Array;
  val: Float64Array;
  label: number;
  weight: number;
}

export function toRow(buf: FeatureBuffer, label: number, weight = 1): TrainingRow {
  return { idx: buf.idx.slice(0, buf.n), val: buf.val.slice(0, buf.n), label, weight };
}

export interface FitOptions {
  shape: FeatureShape;
  /** L2 strength on dense features and on the hashed blocks (per row, averaged loss). */
  l2Dense: number;
  l2Hashed: number;
  epochs?: number;
  learningRate?: number;
  seed?: number;
}

/**
 * Fits L2-regularised logistic regression by AdaGrad over shuffled rows (seeded, deterministic).
 * The penalty is applied to a weight each time a row touches it (frequency-weighted L2, stable
 * for sparse hashed features); dense and hashed blocks have their own strength, the bias none.
 */
export function fitLogistic(rows: readonly TrainingRow[], opts: FitOptions): LogisticModel {
  const model = createZeroModel(opts.shape);
  const w = model.weights;
  const g2 = new Float64Array(w.length).fill(1e-8);
  let bias = 0;
  let gBias = 1e-8;
  const { word } = blockOffsets(opts.shape);
  const epochs = opts.epochs ?? 30;
  const lr = opts.learningRate ?? 0.2;
  const rnd = seededRandom(opts.seed ?? 7);
  const order = rows.map((_, i) => i);
  const totalWeight = rows.reduce((s, r) => s + r.weight, 0) || 1;
  const n = rows.length;
  for (let e = 0; e < epochs; e++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const r of order) {
      const row = rows[r]!;
      let z = bias;
      for (let k = 0; k < row.idx.length; k++) z += w[row.idx[k]!]! * row.val[k]!;
      const scale = (row.weight * n) / totalWeight;
      const err = (sigmoid(z) - row.label) * scale;
      gBias += err * err;
      bias -= (lr * err) / Math.sqrt(gBias);
      for (let k = 0; k < row.idx.length; k++) {
        const f = row.idx[k]!;
        const l2 = f < word ? opts.l2Dense : opts.l2Hashed;
        const g = err * row.val[k]! + l2 * w[f]!;
        g2[f]! += g * g;
        w[f]! -= (lr * g) / Math.sqrt(g2[f]!);
      }
    }
  }
  model.bias = bias;
  return model;
}

/** Platt scaling: fits p = sigmoid(a·z + b) to (margin, label) pairs by Newton's method. */
export function fitPlatt(
  margins: readonly number[],
  labels: readonly number[],
): { a: number; b: number } {
  let a = 1;
  let b = 0;
  for (let it = 0; it < 50; it++) {
    let gA = 0;
    let gB = 0;
    let hAA = 1e-9;
    let hAB = 0;
    let hBB = 1e-9;
    for (let i = 0; i < margins.length; i++) {
      const z = margins[i]!;
      const p = sigmoid(a * z + b);
      const d = p - labels[i]!;
      const v = p * (1 - p);
      gA += d * z;
      gB += d;
      hAA += v * z * z;
      hAB += v * z;
      hBB += v;
    }
    const det = hAA * hBB - hAB * hAB;
    if (Math.abs(det) < 1e-12) break;
    const da = (hBB * gA - hAB * gB) / det;
    const db = (hAA * gB - hAB * gA) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

export function rowMargin(model: LogisticModel, row: TrainingRow): number {
  return margin(model, { idx: row.idx, val: row.val, n: row.idx.length });
}
