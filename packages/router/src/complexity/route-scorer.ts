import type { RouteSpec } from '@bascule/spec';

/**
 * Whether a Route's complexity scores come from the learned scorer whatever scorer the server is
 * configured with (`BASCULE_COMPLEXITY_SCORER`): a Route that states a share of strong calls
 * (`complexity.strongShare`) or a quality level (`complexity.minQuality`), or that learns from its
 * outcomes (`learning`). A share is only as good as the ranking under it, a quality level reads
 * the score as a probability, and learning updates the learned scorer's weights: none of them
 * means anything on the heuristic's scale. A Route with only a fixed `complexityThreshold` keeps
 * the configured scorer, the scale its threshold was chosen on.
 */
export function scoresWithLearned(spec: Pick<RouteSpec, 'complexity' | 'learning'>): boolean {
  return (
    spec.learning !== undefined ||
    spec.complexity?.strongShare !== undefined ||
    spec.complexity?.minQuality !== undefined
  );
}
