import {
  createDefaultComplexityScorer,
  createHeuristicComplexityScorer,
  type ComplexityScorer,
} from '@bascule/router';

/**
 * The complexity scorer the gateway and the explain API share, from `BASCULE_COMPLEXITY_SCORER`:
 * `learned` (P(strong model needed), the library default, see docs/routing.md) or `heuristic`
 * (the hand-made scorer). The server stays on `heuristic` until Routes can set their threshold
 * by a target strong share: every `complexityThreshold` in use (the example Route's 0.45, the
 * quickstart's) was chosen on the heuristic's scale, and the learned probabilities sit near 0.5
 * for everyday chat, which would send nearly all of it to the complex tier. See ADR 0013.
 * A bad value names the variable.
 */
export function complexityScorerFromEnv(env: NodeJS.ProcessEnv = process.env): ComplexityScorer {
  const v = env.BASCULE_COMPLEXITY_SCORER ?? 'heuristic';
  if (v === 'learned') return createDefaultComplexityScorer();
  if (v === 'heuristic') return createHeuristicComplexityScorer();
  throw new Error(
    `BASCULE_COMPLEXITY_SCORER must be learned or heuristic, got ${JSON.stringify(v)}`,
  );
}
