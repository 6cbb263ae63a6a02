import { describe, expect, it } from 'vitest';
import { blockHashesFromHashIds, blockHashesFromTokens } from './prefix-block-hashes.js';

describe('chained KV-block hashes', () => {
  it('hash only full blocks, and a block only matches when everything before it does', () => {
    const a = Array.from({ length: 70 }, (_, i) => i);
    const b = [...a];
    b[20] = 999; // inside block 1
    const ha = blockHashesFromTokens(a);
    const hb = blockHashesFromTokens(b);
    expect(ha).toHaveLength(4); // 70 tokens: four full 16-token blocks
    expect(hb[0]).toBe(ha[0]);
    expect(hb.slice(1).some((h, i) => h === ha[i + 1])).toBe(false);
    expect(new Set(ha).size).toBe(4);
    expect(ha.every((h) => Number.isSafeInteger(h) && h > 0)).toBe(true);
  });

  it('maps 512-token hash ids onto 16-token blocks, 32 to an id', () => {
    const x = blockHashesFromHashIds([1, 2, 3], 1500);
    const y = blockHashesFromHashIds([1, 2, 4], 1536);
    expect(x).toHaveLength(Math.floor(1500 / 16)); // 93: the prompt's full blocks
    expect(y).toHaveLength(96);
    expect(y.slice(0, 64)).toEqual(x.slice(0, 64)); // ids 1 and 2 shared
    expect(y[64]).not.toBe(x[64]);
    // ids cover only part of the prompt: no hashes past them
    expect(blockHashesFromHashIds([1], 5000)).toHaveLength(32);
  });
});
