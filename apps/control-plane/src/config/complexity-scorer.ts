import {
  createDefaultComplexityScorer,
  createHeuristicComplexityScorer,
  type ComplexityScorer,
} from '@bascule/router';

/**
 * The complexity scorer of Routes with a fixed `complexityThreshold`, shared by the gateway and
 * the explain API, from `BASCULE_COMPLEXITY_SCORER`: `heuristic` (the default: the scale every
 * fixed threshold in the examples and the quickstart was chosen on) or `learned` (the library
 * default, see docs/routing.md). Routes that state a share of strong calls or a quality level,
 * or that learn, always score with the learned scorer (scoresWithLearned in packages/router).
 * See ADR 0013. A bad value names the variable.
 */
export function complexityScorerFromEnv(env: NodeJS.ProcessEnv = process.env): ComplexityScorer {
  const v = env.BASCULE_COMPLEXITY_SCORER ?? 'heuristic';
  if (v === 'learned') return createDefaultComplexityScorer();
  if (v === 'heuristic') return createHeuristicComplexityScorer();
  throw new Error(
    `BASCULE_COMPLEXITY_SCORER must be learned or heuristic, got ${JSON.stringify(v)}`,
  );
}
