import { describe, expect, it } from 'vitest';
import { parseServeArgs } from '../cli/parse-serve-args.js';
import { complexityScorer } from './complexity-scorer.js';

/** BASCULE_COMPLEXITY_SCORER as the serve configuration parses it, then the scorer it names. */
function scorerFor(env: Record<string, string>) {
  const parsed = parseServeArgs(['--roles', 'gateway'], ['gateway'], env);
  if (parsed.kind !== 'serve') throw new Error('expected serve');
  return complexityScorer(parsed.config.complexityScorer);
}

describe('BASCULE_COMPLEXITY_SCORER', () => {
  it('is the heuristic by default (until share-based thresholds), the learned one on request, and names a bad value', () => {
    expect(scorerFor({}).name).toBe('heuristic');
    expect(scorerFor({ BASCULE_COMPLEXITY_SCORER: 'learned' }).name).toBe('learned');
    expect(scorerFor({ BASCULE_COMPLEXITY_SCORER: 'heuristic' }).name).toBe('heuristic');
    expect(() => scorerFor({ BASCULE_COMPLEXITY_SCORER: 'bert' })).toThrow(
      'BASCULE_COMPLEXITY_SCORER: must be learned or heuristic',
    );
  });
});
