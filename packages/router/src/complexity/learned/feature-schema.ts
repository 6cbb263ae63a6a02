// The feature vector's layout: dense features by name, then the hashed word and char blocks.
// Filled by prompt-features.ts.

/** Names of the dense features, in index order (index 0 is the first dense feature). */
export const DENSE_FEATURES = [
  'chars',
  'words',
  'lines',
  'avgWordLength',
  'longWords',
  'userTurns',
  'systemPrompt',
  'tools',
  'questionMarks',
  'digits',
  'upperCase',
  'nonAscii',
  'cjk',
  'cyrillic',
  'latinAccents',
  'codeMarks',
  'mathsMarks',
  'latex',
  'listItems',
  'optionLines',
  'codeWords',
  'mathsWords',
  'stepWords',
  'reasoningWords',
  'numbers',
] as const;
export type DenseFeature = (typeof DENSE_FEATURES)[number];
export const DENSE_COUNT = DENSE_FEATURES.length;

/** Sizes of the hashed blocks (powers of two); part of the artefact so a model says its shape. */
export interface FeatureShape {
  wordBits: number;
  charBits: number;
}

/** Where each block starts in the flat weight vector. */
export function blockOffsets(shape: FeatureShape): { word: number; char: number; total: number } {
  const word = DENSE_COUNT;
  const char = word + (1 << shape.wordBits);
  return { word, char, total: char + (shape.charBits > 0 ? 1 << shape.charBits : 0) };
}

/** A reusable sparse vector: `n` (index, value) pairs; an index may repeat (values add up). */
export interface FeatureBuffer {
  idx: Int32Array;
  val: Float64Array;
  n: number;
}

/** Most pairs one prompt can produce (2,000 sampled chars: words, bigrams, trigrams, dense). */
const CAPACITY = 8192;

export function createFeatureBuffer(): FeatureBuffer {
  return { idx: new Int32Array(CAPACITY), val: new Float64Array(CAPACITY), n: 0 };
}
