// Deterministic randomness: a string hash (FNV-1a, 32-bit) seeds a small PRNG (mulberry32).
// Everything the simulator "decides" (words, tool arguments, ids, injected faults) comes from here,
// so the same seed and the same request always give the same answer.

export type Rng = () => number;

/** FNV-1a over the UTF-16 code units of every part, separated so ['ab','c'] != ['a','bc']. */
export function hashString(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = String(part);
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x1f;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a fast 32-bit PRNG returning floats in [0, 1). */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max], both inclusive. */
export function randomInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A deterministic identifier such as `chatcmpl-AbC123...`. */
export function randomId(rng: Rng, prefix: string, length = 24, alphabet = ALPHANUM): string {
  let out = prefix;
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rng() * alphabet.length)] ?? 'x';
  return out;
}
