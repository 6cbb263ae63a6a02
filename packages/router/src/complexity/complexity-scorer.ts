import type { PromptSample } from './prompt-sample.js';

/** Scores how hard a prompt is, in [0,1]. Must be fast (microseconds) and deterministic. */
export interface ComplexityScorer {
  readonly name: string;
  score(sample: PromptSample): number;
}
