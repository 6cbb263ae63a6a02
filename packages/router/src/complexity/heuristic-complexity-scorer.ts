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

type Feature = 'code' | 'maths' | 'multiStep' | 'reasoning';

const WORDS: Record<Feature, readonly string[]> = {
  code: [
    'function',
    'def',
    'class',
    'import',
    'return',
    'const',
    'let',
    'var',
    'public',
    'static',
    'void',
    'select',
    'from',
    'where',
    '#include',
    'async',
    'await',
    'lambda',
    'struct',
    'impl',
    'fn',
    'regex',
    'compile',
    'compiler',
    'bug',
    'refactor',
    'typescript',
    'python',
    'rust',
    'sql',
  ],
  maths: [
    'prove',
    'proof',
    'theorem',
    'lemma',
    'integral',
    'derivative',
    'derive',
    'equation',
    'matrix',
    'eigenvalue',
    'eigenvalues',
    'eigenvector',
    'eigenvectors',
    'probability',
    'polynomial',
    'modulo',
    'prime',
    'primes',
    'factorise',
    'factorize',
    'optimise',
    'optimize',
    '\\frac',
    '\\int',
    '\\sum',
    '\\sqrt',
    '\\lim',
    '\\partial',
  ],
  multiStep: [
    'first',
    'firstly',
    'then',
    'next',
    'finally',
    'also',
    'additionally',
    'phase',
    'phases',
    'stage',
    'stages',
  ],
  reasoning: [
    'why',
    'explain',
    'analyse',
    'analyze',
    'compare',
    'contrast',
    'evaluate',
    'design',
    'architecture',
    'trade-off',
    'trade-offs',
    'tradeoff',
    'tradeoffs',
    'implication',
    'implications',
    'critique',
    'justify',
    'plan',
    'strategy',
    'debug',
    'diagnose',
    'reason',
    'risk',
    'risks',
    'complexity',
    'migration',
    'migrate',
    'formula',
    'bound',
    'bounds',
    'index',
    'indexes',
    'indexing',
  ],
};
const LEXICON = new Map<string, Feature>();
for (const [feature, words] of Object.entries(WORDS) as [Feature, readonly string[]][])
  for (const w of words) LEXICON.set(w, feature);

/** Code and maths punctuation: fences, arrows, calls, statement ends, arithmetic, symbols. */
const CODE_MARKS = /```|=>|\w\(\)|[{};][ \t]*$/gm;
const MATHS_MARKS = /[0-9][ \t]*[-+*/^=<>][ \t]*[0-9(]|[∑∫√≤≥≠∀∃π]/g;
/** Multi-word steps and numbered or bulleted list items. */
const STEP_MARKS = /step[- ]by[- ]step|after that|in addition|^[ \t]*(?:[0-9]+[.)]|[-*•])[ \t]+/gm;

/**
 * Counts lexicon words: a word starts with a-z, `#` (#include) or a backslash (LaTeX) and goes
 * on with a-z, digits, `_`, `#` or `-`. A char-code loop: no regex match objects per word.
 */
function countWords(text: string, hits: Record<Feature, number>): void {
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    const first = (c >= 97 && c <= 122) || c === 35 || c === 92;
    const inner = first || (c >= 48 && c <= 57) || c === 95 || c === 45;
    if (start < 0) {
      if (first) start = i;
    } else if (!inner) {
      const f = LEXICON.get(text.slice(start, i));
      if (f !== undefined) hits[f]++;
      start = -1;
    }
  }
}

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
 * One tokenising pass over at most 2,000 characters with a word lookup, plus three short
 * punctuation scans: microseconds per call.
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
      // Lower-cased once; one tokenising pass with a word lookup, plus three short scans.
      const text = s.lastUser.toLowerCase();
      const hits = { code: 0, maths: 0, multiStep: 0, reasoning: 0 };
      countWords(text, hits);
      hits.code += count(CODE_MARKS, text, 12);
      hits.maths += count(MATHS_MARKS, text, 12);
      hits.multiStep += count(STEP_MARKS, text, 12);
      const features =
        weights.length * sat(s.totalChars, 1500) +
        weights.code * sat(Math.min(12, hits.code), 2) +
        weights.maths * sat(Math.min(12, hits.maths), 1.5) +
        weights.multiStep * sat(Math.min(12, hits.multiStep), 3) +
        weights.reasoning * sat(Math.min(12, hits.reasoning), 1.5) +
        weights.tools * sat(s.tools, 2) +
        weights.depth * sat(Math.max(0, s.userTurns - 1), 4);
      // Normalised sum, stretched so that a prompt strong on two features passes 0.5.
      const x = total > 0 ? (features / total) * 2.6 : 0;
      return Math.min(1, Math.max(0, x));
    },
  };
}
