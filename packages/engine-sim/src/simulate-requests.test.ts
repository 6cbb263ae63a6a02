import { describe, expect, it } from 'vitest';
import { REFERENCE_FITS } from './calibrate.js';
import { soloRequestUs, stepTimeUs } from './latency-model.js';
import { simulateRequests } from './simulate-requests.js';

const c = REFERENCE_FITS.a100;

describe('simulateRequests', () => {
  it('gives a lone request the formula latency', () => {
    const [t] = simulateRequests({
      coefficients: c,
      maxNumSeqs: 8,
      kvCapacityTokens: 100_000,
      requests: [{ arrivalMs: 50, promptTokens: 1000, outputTokens: 10 }],
    });
    expect(t!.ttftMs).toBeCloseTo(stepTimeUs(c, 1000, 0) / 1000, 9);
    expect(t!.e2eMs).toBeCloseTo(soloRequestUs(c, 1000, 10) / 1000, 9);
    expect(t!.scheduledMs).toBe(50);
  });

  it('queues requests beyond max-num-seqs and reports their wait', () => {
    const requests = Array.from({ length: 4 }, () => ({
      arrivalMs: 0,
      promptTokens: 100,
      outputTokens: 5,
    }));
    const t = simulateRequests({
      coefficients: c,
      maxNumSeqs: 2,
      kvCapacityTokens: 100_000,
      requests,
    });
    expect(t[0]!.scheduledMs).toBe(0);
    expect(t[2]!.scheduledMs).toBeCloseTo(t[0]!.finishMs, 9); // admitted when the first pair finishes
    expect(t[3]!.ttftMs).toBeGreaterThan(t[1]!.e2eMs);
  });
});
