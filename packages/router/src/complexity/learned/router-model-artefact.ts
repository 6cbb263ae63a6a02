import { DENSE_FEATURES, blockOffsets, type FeatureShape } from './prompt-features.js';
import type { LogisticModel } from './logistic-model.js';

/**
 * The shipped prior, as the training script writes it (`pnpm eval routing-train`): plain JSON
 * so it can be diffed, reviewed and versioned. Generated into default-router-model.ts and
 * imported statically, so the router does no I/O.
 */
export interface RouterModelArtefact {
  format: 'bascule.router.logistic/v1';
  /** Semantic version of the weights; bumped by the training script when they change. */
  version: string;
  shape: FeatureShape;
  bias: number;
  calibration: { a: number; b: number };
  /** Dense feature weights by name. */
  dense: Record<string, number>;
  /** Hashed word (unigram + bigram) and character-trigram weights, one per bucket. */
  word: number[];
  char: number[];
  /** What it was fitted on and how: free-form provenance for `route explain` and the docs. */
  training: {
    data: string;
    rows: number;
    heldOut: number;
    l2Dense: number;
    l2Hashed: number;
    epochs: number;
    seed: number;
  };
}

/** Turns an artefact into a model, checking its shape; errors name the field. */
export function loadRouterModel(a: RouterModelArtefact): LogisticModel {
  if (a.format !== 'bascule.router.logistic/v1')
    throw new Error(
      `router model: format must be bascule.router.logistic/v1, got ${String(a.format)}`,
    );
  const { wordBits, charBits } = a.shape ?? ({} as Partial<FeatureShape>);
  for (const [k, v] of [
    ['shape.wordBits', wordBits],
    ['shape.charBits', charBits],
  ] as const)
    if (!Number.isInteger(v) || v < 0 || v > 20)
      throw new Error(`router model: ${k} must be an integer in 0..20, got ${String(v)}`);
  const shape = { wordBits: wordBits, charBits: charBits };
  const off = blockOffsets(shape);
  if (!Array.isArray(a.word) || a.word.length !== off.char - off.word)
    throw new Error(
      `router model: word has ${a.word?.length} weights, shape says ${off.char - off.word}`,
    );
  if (!Array.isArray(a.char) || a.char.length !== off.total - off.char)
    throw new Error(
      `router model: char has ${a.char?.length} weights, shape says ${off.total - off.char}`,
    );
  const weights = new Float64Array(off.total);
  DENSE_FEATURES.forEach((f, i) => {
    weights[i] = a.dense[f] ?? 0;
  });
  for (const f of Object.keys(a.dense))
    if (!(DENSE_FEATURES as readonly string[]).includes(f))
      throw new Error(`router model: dense.${f} is not a feature this router computes`);
  weights.set(a.word, off.word);
  weights.set(a.char, off.char);
  if (!weights.every(Number.isFinite))
    throw new Error('router model: a weight is not a finite number');
  for (const [k, v] of [
    ['bias', a.bias],
    ['calibration.a', a.calibration?.a],
    ['calibration.b', a.calibration?.b],
  ] as const)
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new Error(`router model: ${k} must be a finite number, got ${String(v)}`);
  return { shape, bias: a.bias, weights, calibration: a.calibration };
}

/** The artefact of a fitted model (weights rounded to 6 decimals: small, and exact enough). */
export function toRouterModelArtefact(
  model: LogisticModel,
  version: string,
  training: RouterModelArtefact['training'],
): RouterModelArtefact {
  const r = (x: number) => Math.round(x * 1e6) / 1e6;
  const off = blockOffsets(model.shape);
  const w = Array.from(model.weights, r);
  return {
    format: 'bascule.router.logistic/v1',
    version,
    shape: model.shape,
    bias: r(model.bias),
    calibration: { a: r(model.calibration.a), b: r(model.calibration.b) },
    dense: Object.fromEntries(DENSE_FEATURES.map((f, i) => [f, w[i]!])),
    word: w.slice(off.word, off.char),
    char: w.slice(off.char),
    training,
  };
}
