import type { PromptSample } from './prompt-sample.js';

/** Scores how hard a prompt is, in [0,1]. Must be fast (microseconds) and deterministic. */
export interface ComplexityScorer {
  readonly name: string;
  score(sample: PromptSample): number;
  /** Why: the probability and the features that moved it (scorers that can say so). */
  explain?(sample: PromptSample): ComplexityExplanation;
}

/** One feature's push on the score: `delta` is its term in the logit (+ toward strong). */
export interface FeatureContribution {
  feature: string;
  delta: number;
}

/** What `route explain` shows about a prompt's complexity. */
export interface ComplexityExplanation {
  /** P(the strong model is needed | prompt): the same number `score` returns. */
  p: number;
  /** log(p / (1 - p)): the sum of the contributions, the intercept and the rest of the features. */
  logit: number;
  /** The features with the largest |delta|, largest first. */
  contributions: FeatureContribution[];
  /** Version of the model that scored it. */
  model: string;
}
