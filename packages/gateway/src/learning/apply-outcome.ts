import type { PromptSample, StrongNeeded } from '@bascule/router';
import type { LearningScorerFactory } from './learning-scorer.js';
import type { WeightsStore, WeightsVersion } from './weights-store.js';

/** One labelled example for a Route's scorer. */
export interface LabelledExample {
  sample: PromptSample;
  label: StrongNeeded;
}

/**
 * Feeds labelled examples (feedback grades, shadow verdicts) to a Route's online learner and
 * stores the result as the next version, which every gateway then loads. The learner itself is
 * the router's (`factory`): each example is one SGD step, and every so often (as the buffer of
 * recent outcomes grows) a refit on the whole buffer, synchronous in the writer (the API or the
 * worker), never on a gateway's request path. This is only its I/O.
 */
export function applyExamples(
  store: WeightsStore,
  factory: LearningScorerFactory,
  route: string,
  examples: readonly LabelledExample[],
  source: string,
): Promise<WeightsVersion> {
  return store.update(
    route,
    (state, buffer) => {
      const scorer = factory(state, buffer);
      for (const e of examples) scorer.learn(e.sample, e.label);
      return { state: scorer.onlineState(), examples: examples.length };
    },
    source,
  );
}
