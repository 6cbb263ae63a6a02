// Deterministic assistant text. The text is a list of pieces, each exactly one token in
// cl100k_base (common English words with a leading space, and punctuation), so the output token
// count is the number of pieces and `max_tokens` cuts at an exact token boundary.
import { randomInt, type Rng } from '@bascule/engine-sim';

const WORDS = [
  'the',
  'model',
  'system',
  'request',
  'answer',
  'data',
  'time',
  'result',
  'value',
  'service',
  'process',
  'cluster',
  'network',
  'server',
  'user',
  'question',
  'point',
  'number',
  'example',
  'order',
  'state',
  'case',
  'part',
  'way',
  'line',
  'group',
  'level',
  'work',
  'world',
  'place',
  'is',
  'was',
  'runs',
  'makes',
  'shows',
  'helps',
  'takes',
  'gives',
  'keeps',
  'finds',
  'uses',
  'can',
  'will',
  'should',
  'may',
  'must',
  'and',
  'but',
  'or',
  'so',
  'with',
  'from',
  'for',
  'in',
  'on',
  'at',
  'by',
  'of',
  'to',
  'a',
  'this',
  'that',
  'each',
  'every',
  'more',
  'less',
  'new',
  'good',
  'simple',
  'fast',
  'small',
  'large',
  'clear',
  'right',
  'first',
  'last',
  'next',
  'same',
  'other',
  'most',
  'some',
  'many',
  'all',
  'only',
  'also',
  'then',
  'now',
  'here',
  'there',
  'well',
];

export interface GeneratedText {
  /** One token each; `pieces.join('')` is the text. */
  pieces: string[];
  /** True when the natural answer was longer than the cap and was cut. */
  truncated: boolean;
}

export interface TextLength {
  min: number;
  max: number;
}

export const DEFAULT_TEXT_LENGTH: TextLength = { min: 12, max: 48 };

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Sentences of 5-12 words ending with '.', `length` tokens long (drawn from `range`). */
export function generateText(rng: Rng, range: TextLength, maxTokens?: number): GeneratedText {
  const natural = randomInt(rng, Math.max(1, range.min), Math.max(1, range.min, range.max));
  const length = maxTokens === undefined ? natural : Math.min(natural, maxTokens);
  const pieces: string[] = [];
  let sentenceLeft = 0;
  while (pieces.length < length) {
    const remaining = length - pieces.length;
    if (sentenceLeft === 0) {
      sentenceLeft = randomInt(rng, 5, 12);
      const word = capitalize(WORDS[randomInt(rng, 0, WORDS.length - 1)] ?? 'the');
      pieces.push(pieces.length === 0 ? word : ` ${word}`);
      sentenceLeft--;
    } else if (sentenceLeft === 1 || remaining === 1) {
      pieces.push('.');
      sentenceLeft = 0;
    } else {
      pieces.push(` ${WORDS[randomInt(rng, 0, WORDS.length - 1)] ?? 'the'}`);
      sentenceLeft--;
    }
  }
  return { pieces, truncated: length < natural };
}

/** The vocabulary, exported so a test can check every piece is one token. */
export const TEXT_VOCABULARY: readonly string[] = WORDS;
