// A deterministic unit-length embedding for a text: equal texts give equal vectors.
import { createRng, hashString } from '@bascule/engine-sim';

export function embeddingVector(
  seed: number,
  model: string,
  text: string,
  dimensions: number,
): number[] {
  const rng = createRng(hashString(seed, 'embedding', model, text));
  const values = Array.from({ length: dimensions }, () => rng() * 2 - 1);
  const norm = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0)) || 1;
  return values.map((v) => Math.fround(v / norm));
}

/** OpenAI's `encoding_format: "base64"`: little-endian float32 bytes, base64-encoded. */
export function toBase64Floats(values: number[]): string {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buffer.writeFloatLE(v, i * 4));
  return buffer.toString('base64');
}
