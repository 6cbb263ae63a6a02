import { describe, expect, it } from 'vitest';
import { etaSeconds } from './eta.js';

const batch = (completed: number, failed: number, status = 'in_progress') => ({
  status,
  created_at: 1000,
  in_progress_at: 1010,
  request_counts: { total: 100, completed, failed },
});

describe('batch ETA', () => {
  it('extrapolates the rate since the batch started', () => {
    // 25 lines done in 50 s: 75 left at 0.5 lines/s.
    expect(etaSeconds(batch(20, 5), 1060)).toBe(150);
  });
  it('has none before the first line, once done, or when not running', () => {
    expect(etaSeconds(batch(0, 0), 1060)).toBeUndefined();
    expect(etaSeconds(batch(100, 0), 1060)).toBeUndefined();
    expect(etaSeconds(batch(20, 0, 'finalizing'), 1060)).toBeUndefined();
  });
});
