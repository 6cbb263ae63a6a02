/**
 * Chained KV-block hashes, as vLLM V1 computes them for prefix caching
 * (vllm/v1/core/kv_cache_utils.py, hash_block_tokens): block i's hash covers its own tokens and
 * the hash of block i-1, so two prompts share block i only when they share every token up to
 * its end. Only full blocks get a hash. Hashes here are 53-bit integers (safe in a JS number),
 * from two 32-bit murmur-style mixes; collisions are negligible at simulation scale.
 */

/** Mooncake traces number their prompt blocks in 512-token units (`hash_ids`). */
export const MOONCAKE_HASH_BLOCK_TOKENS = 512;

function mix32(h: number, v: number): number {
  let k = Math.imul(v | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Folds a 32-bit integer `value` into a running 53-bit hash `parent` (>= 0). */
export function mixHash(parent: number, value: number): number {
  const lo = parent >>> 0;
  const hi = (parent - lo) / 4294967296;
  const a = fmix32(mix32(mix32(0x9747b28c ^ hi, lo), value));
  const b = fmix32(mix32(mix32(0x5bd1e995 ^ lo, hi), value ^ 0x2545f491));
  return (a & 0x1fffff) * 4294967296 + b || 1; // never 0: the KV pool's "no hash"
}

/** Chained hashes of the full `blockSize`-token blocks of a token-id sequence. */
export function blockHashesFromTokens(tokens: ArrayLike<number>, blockSize = 16): number[] {
  const out: number[] = [];
  let parent = 0;
  const full = Math.floor(tokens.length / blockSize);
  for (let b = 0; b < full; b++) {
    let h = mixHash(parent, blockSize);
    for (let i = b * blockSize; i < (b + 1) * blockSize; i++) h = mixHash(h, tokens[i]!);
    out.push(h);
    parent = h;
  }
  return out;
}

/**
 * Chained `blockSize`-token block hashes of a prompt described, as the Mooncake traces do, by
 * ids of its `hashBlockTokens`-token blocks: block k lies in id ⌊k·blockSize/hashBlockTokens⌋
 * (two prompts with the same ids share those tokens). Only the prompt's full blocks get a
 * hash; blocks past the last id get none (they are the request's own).
 */
export function blockHashesFromHashIds(
  hashIds: readonly number[],
  promptTokens: number,
  blockSize = 16,
  hashBlockTokens = MOONCAKE_HASH_BLOCK_TOKENS,
): number[] {
  if (!Number.isInteger(hashBlockTokens / blockSize))
    throw new RangeError(`hashBlockTokens (${hashBlockTokens}) must be a multiple of blockSize`);
  const full = Math.min(
    Math.floor(promptTokens / blockSize),
    Math.floor((hashIds.length * hashBlockTokens) / blockSize),
  );
  const out = new Array<number>(full);
  const per = hashBlockTokens / blockSize;
  let parent = 0;
  for (let k = 0; k < full; k++) {
    const id = hashIds[Math.floor(k / per)]!;
    // (id, sub-block) as one 32-bit value: distinct for ids below 2^32 / per
    parent = mixHash(parent, (id * per + (k % per)) | 0);
    out[k] = parent;
  }
  return out;
}
