import { DEFAULT_ROUTER_MODEL } from './learned/default-router-model.js';
import {
  createLearnedComplexityScorer,
  type LearnedComplexityScorer,
} from './learned/learned-complexity-scorer.js';
import type { OnlineLearnerState } from './learned/online-learner.js';

/**
 * The scorer the gateway, `route explain` and `pnpm eval routing` use unless told otherwise:
 * the learned scorer with the shipped prior (default-router-model.ts) and, optionally, online
 * residual weights learned from outcomes.
 */
export function createDefaultComplexityScorer(
  opts: { online?: OnlineLearnerState } = {},
): LearnedComplexityScorer {
  return createLearnedComplexityScorer({ artefact: DEFAULT_ROUTER_MODEL, ...opts });
}
