import { describe, expect, it } from 'vitest';
import { complexityScorerFromEnv } from './complexity-scorer.js';

describe('complexityScorerFromEnv', () => {
  it('is the heuristic by default (until share-based thresholds), the learned one on request, and names a bad value', () => {
    expect(complexityScorerFromEnv({}).name).toBe('heuristic');
    expect(complexityScorerFromEnv({ BASCULE_COMPLEXITY_SCORER: 'learned' }).name).toBe('learned');
    expect(complexityScorerFromEnv({ BASCULE_COMPLEXITY_SCORER: 'heuristic' }).name).toBe(
      'heuristic',
    );
    expect(() => complexityScorerFromEnv({ BASCULE_COMPLEXITY_SCORER: 'bert' })).toThrow(
      'BASCULE_COMPLEXITY_SCORER must be learned or heuristic, got "bert"',
    );
  });
});
