import { describe, expect, it } from 'vitest';
import { fairPriority, MAX_PRIORITY } from './fair-priority.js';

describe('fairPriority', () => {
  it('orders classes first, then ranks, and stays within BullMQ bounds', () => {
    expect(fairPriority('interactive', 1_000_000)).toBeLessThan(fairPriority('async', 0));
    expect(fairPriority('async', 10_000_000)).toBeLessThan(fairPriority('batch', 0));
    expect(fairPriority('batch', 0)).toBeLessThan(fairPriority('batch', 1));
    expect(fairPriority('interactive', 0)).toBe(1);
    expect(fairPriority('batch', Number.MAX_SAFE_INTEGER)).toBeLessThanOrEqual(MAX_PRIORITY);
    expect(fairPriority('async', -5)).toBe(fairPriority('async', 0));
  });
});
