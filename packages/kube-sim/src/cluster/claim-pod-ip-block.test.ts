import { describe, expect, it } from 'vitest';
import { claimPodIpBlock } from './claim-pod-ip-block.js';

/** Proposes block `first` first, then random ones. */
const proposing = (first: number) => {
  let calls = 0;
  return () => (calls++ === 0 ? (first - 10 + 0.5) / 240 : Math.random());
};

describe('claimPodIpBlock', () => {
  it('never hands the same block to two live claims, and frees it on release', async () => {
    const a = await claimPodIpBlock();
    const b = await claimPodIpBlock(proposing(a.block));
    expect(b.block).not.toBe(a.block);
    await a.release();
    const c = await claimPodIpBlock(proposing(a.block));
    expect(c.block).toBe(a.block);
    await Promise.all([b.release(), c.release()]);
  });
});
