import {
  createDefaultComplexityScorer,
  createHeuristicComplexityScorer,
  type ComplexityScorer,
} from '@bascule/router';

/**
 * The complexity scorer the gateway and the explain API share, from `BASCULE_COMPLEXITY_SCORER`:
 * `learned` (the default: P(strong model needed), see docs/routing.md) or `heuristic` (the
 * hand-made scorer of earlier releases, whose 0-1 scale old `complexityThreshold`s were tuned
 * for). A bad value names the variable.
 */
export function complexityScorerFromEnv(env: NodeJS.ProcessEnv = process.env): ComplexityScorer {
  const v = env.BASCULE_COMPLEXITY_SCORER ?? 'learned';
  if (v === 'learned') return createDefaultComplexityScorer();
  if (v === 'heuristic') return createHeuristicComplexityScorer();
  throw new Error(
    `BASCULE_COMPLEXITY_SCORER must be learned or heuristic, got ${JSON.stringify(v)}`,
  );
}
