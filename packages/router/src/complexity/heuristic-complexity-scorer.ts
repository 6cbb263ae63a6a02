import type { ComplexityScorer } from './complexity-scorer.js';
import type { PromptSample } from './prompt-sample.js';

/** Weights of the default scorer's features; each feature is in [0,1]. */
export interface HeuristicWeights {
  length: number;
  code: number;
  maths: number;
  multiStep: number;
  reasoning: number;
  tools: number;
  depth: number;
}

export const DEFAULT_HEURISTIC_WEIGHTS: HeuristicWeights = {
  length: 0.2,
  code: 0.3,
  maths: 0.3,
  multiStep: 0.2,
  reasoning: 0.3,
  tools: 0.1,
  depth: 0.1,
};

const CODE =
  /```|\b(function|def|class|import|return|const|let|var|public|static|void|SELECT|FROM|WHERE|#include|async|await|lambda|struct|impl|fn)\b|=>|[{};]\s*$|\w+\(\)|\bregex\b|\bcompile|\bstack trace\b|\bbug\b|\brefactor/gim;
const MATHS =
  /\\(frac|int|sum|sqrt|lim|partial)|\b(prove|proof|theorem|lemma|integral|derivative|derive|equation|matrix|eigen\w*|probability|polynomial|modulo|prime|factori[sz]e|optimi[sz]e)\b|[0-9]\s*[-+*/^=<>]\s*[0-9(]|[∑∫√≤≥≠∀∃π]/gi;
const MULTI_STEP =
  /\b(step[- ]by[- ]step|first(ly)?|then|next|finally|after that|and then|also|additionally|in addition|phases?|stages?)\b|^\s*(\d+[.)]|[-*•])\s+/gim;
const REASONING =
  /\b(why|explain|analy[sz]e|compare|contrast|evaluate|design|architect\w*|trade-?offs?|implications?|critique|justify|plan|strategy|debug|diagnose|reason|risks?|complexity|migrat\w*|formula|bounds?|index(es|ing)?)\b/gi;

/** Saturating count: 0 hits -> 0, `half` hits -> 0.5, many -> ~1. */
function sat(hits: number, half: number): number {
  return hits / (hits + half);
}

function count(re: RegExp, text: string, cap: number): number {
  re.lastIndex = 0;
  let n = 0;
  while (n < cap && re.exec(text) !== null) n++;
  return n;
}

/**
 * The default scorer: a weighted sum of saturating prompt features (length, code, maths,
 * multi-step instructions, reasoning verbs, tools, conversation depth), squashed into [0,1].
 * A handful of pre-compiled regular expressions over at most 4,000 characters: a few
 * microseconds per call.
 */
export function createHeuristicComplexityScorer(
  weights: HeuristicWeights = DEFAULT_HEURISTIC_WEIGHTS,
): ComplexityScorer {
  const total =
    weights.length +
    weights.code +
    weights.maths +
    weights.multiStep +
    weights.reasoning +
    weights.tools +
    weights.depth;
  return {
    name: 'heuristic',
    score(s: PromptSample): number {
      const text = s.lastUser;
      const features =
        weights.length * sat(s.totalChars, 1500) +
        weights.code * sat(count(CODE, text, 12), 2) +
        weights.maths * sat(count(MATHS, text, 12), 1.5) +
        weights.multiStep * sat(count(MULTI_STEP, text, 12), 3) +
        weights.reasoning * sat(count(REASONING, text, 12), 1.5) +
        weights.tools * sat(s.tools, 2) +
        weights.depth * sat(Math.max(0, s.userTurns - 1), 4);
      // Normalised sum, stretched so that a prompt strong on two features passes 0.5.
      const x = total > 0 ? (features / total) * 2.6 : 0;
      return Math.min(1, Math.max(0, x));
    },
  };
}
