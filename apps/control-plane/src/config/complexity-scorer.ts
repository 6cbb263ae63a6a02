import {
  createDefaultComplexityScorer,
  createHeuristicComplexityScorer,
  type ComplexityScorer,
} from '@bascule/router';

/**
 * The complexity scorer of Routes with a fixed `complexityThreshold`, shared by the gateway and
 * the explain API, as `BASCULE_COMPLEXITY_SCORER` names it (parsed with the serve config): `heuristic` (the default: the scale every
 * fixed threshold in the examples and the quickstart was chosen on) or `learned` (the library
 * default, see docs/routing.md). Routes that state a share of strong calls or a quality level,
 * or that learn, always score with the learned scorer (scoresWithLearned in packages/router).
 * See ADR 0013.
 */
export function complexityScorer(kind: 'heuristic' | 'learned'): ComplexityScorer {
  return kind === 'learned' ? createDefaultComplexityScorer() : createHeuristicComplexityScorer();
}
