import type { PromptSample } from '../prompt-sample.js';

/**
 * The learned scorer's feature vector, built in one pass over the sampled prompt with no
 * allocation per call: a few named dense features (length, structure, conversation, tools, code, maths,
 * script) followed by hashed word unigrams and bigrams and hashed character trigrams. Training,
 * scoring, explaining and online learning all call `extractFeatures`, so they see the same numbers.
 */

import {
  DENSE_COUNT,
  DENSE_FEATURES,
  blockOffsets,
  type DenseFeature,
  type FeatureBuffer,
  type FeatureShape,
} from './feature-schema.js';

export * from './feature-schema.js';

const D = Object.fromEntries(DENSE_FEATURES.map((f, i) => [f, i])) as Record<DenseFeature, number>;

type Lexicon = 'code' | 'maths' | 'step' | 'reasoning';
const LEXICON_WORDS: Record<Lexicon, string> = {
  code: 'function def class import return const public static void select include async await lambda struct impl fn regex compile compiler bug refactor typescript python rust sql java javascript html css json code script api',
  maths:
    'prove proof theorem lemma integral derivative derive equation matrix eigenvalue eigenvalues eigenvector probability polynomial modulo prime primes factorise factorize optimise optimize frac sqrt lim partial calculate compute solve',
  step: 'first firstly then next finally also additionally phase phases stage stages step steps',
  reasoning:
    'why explain analyse analyze compare contrast evaluate design architecture tradeoff tradeoffs implication implications critique justify plan strategy debug diagnose reason risk risks complexity migration migrate formula bound bounds',
};

// Counters of one scan, in a reused Int32Array (indices below).
const C_CODE_WORDS = 0;
const C_MATHS_WORDS = 1;
const C_STEP_WORDS = 2;
const C_REASONING_WORDS = 3;
const C_QUESTIONS = 4;
const C_LINES = 5;
const C_LATEX = 6;
const C_CODE_MARKS = 7;
const C_MATHS_MARKS = 8;
const C_NON_ASCII = 9;
const C_CJK = 10;
const C_CYRILLIC = 11;
const C_ACCENTS = 12;
const C_DIGITS = 13;
const C_UPPER = 14;
const COUNTERS = 15;
const LEX_INDEX: Record<Lexicon, number> = {
  code: C_CODE_WORDS,
  maths: C_MATHS_WORDS,
  step: C_STEP_WORDS,
  reasoning: C_REASONING_WORDS,
};

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a of a string's UTF-16 code units (the same hash the scan computes inline). */
export function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** Lexicon words by hash, open addressing: keys and (counter index + 1), 0 = empty slot. */
const LEX_SLOTS = 512;
const LEX_KEYS = new Int32Array(LEX_SLOTS);
const LEX_VALS = new Int8Array(LEX_SLOTS);
function lexSlot(h: number): number {
  return Math.imul(h, 0x9e3779b1) >>> 23;
}
for (const [kind, words] of Object.entries(LEXICON_WORDS) as [Lexicon, string][])
  for (const w of words.split(' ')) {
    const h = hashString(w) | 0;
    let k = lexSlot(h);
    while (LEX_VALS[k] !== 0 && LEX_KEYS[k] !== h) k = (k + 1) & (LEX_SLOTS - 1);
    LEX_KEYS[k] = h;
    LEX_VALS[k] = LEX_INDEX[kind] + 1;
  }
function lexLookup(h: number): number {
  let k = lexSlot(h);
  for (;;) {
    const v = LEX_VALS[k]!;
    if (v === 0) return -1;
    if (LEX_KEYS[k] === h) return v - 1;
    k = (k + 1) & (LEX_SLOTS - 1);
  }
}

// Character classes, one table lookup per code unit.
const WORD = 1;
const UPPER = 2;
const DIGIT = 4;
const SPECIAL = 8; // counted by countSpecial (punctuation, newlines, non-ASCII scripts)
const SPACE = 16;
const CLASS = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) {
  let k = 0;
  if ((c >= 97 && c <= 122) || c === 95) k |= WORD;
  else if (c >= 65 && c <= 90) k |= WORD | UPPER;
  else if (c >= 48 && c <= 57) k |= WORD | DIGIT;
  else if (
    c >= 0xc0 &&
    c !== 0xd7 &&
    c !== 0xf7 &&
    !(c >= 0x2000 && c <= 0x2bff) &&
    !(c >= 0x3000 && c <= 0x303f)
  )
    k |= WORD;
  if (c === 32 || c === 9 || c === 10 || c === 13) k |= SPACE;
  if (c >= 128 || '?\n\\$`{};=+^.,!:)'.includes(String.fromCharCode(c))) k |= SPECIAL;
  CLASS[c] = k;
}

/** Counts what a special code unit says (questions, lines, LaTeX, code and maths marks, scripts). */
function countSpecial(raw: number, cnt: Int32Array): void {
  if (raw >= 128) {
    cnt[C_NON_ASCII]!++;
    if (
      (raw >= 0x4e00 && raw <= 0x9fff) ||
      (raw >= 0x3040 && raw <= 0x30ff) ||
      (raw >= 0xac00 && raw <= 0xd7af)
    )
      cnt[C_CJK]!++;
    else if (raw >= 0x400 && raw <= 0x4ff) cnt[C_CYRILLIC]!++;
    else if (raw >= 0xc0 && raw <= 0x24f) cnt[C_ACCENTS]!++;
    else if (raw >= 0x2200 && raw <= 0x22ff) cnt[C_MATHS_MARKS]!++;
    return;
  }
  switch (raw) {
    case 63: // ?
      cnt[C_QUESTIONS]!++;
      break;
    case 10: // \n
      cnt[C_LINES]!++;
      break;
    case 92: // backslash
    case 36: // $
      cnt[C_LATEX]!++;
      break;
    case 96: // `
    case 123: // {
    case 125: // }
    case 59: // ;
      cnt[C_CODE_MARKS]!++;
      break;
    case 61: // =
    case 43: // +
    case 94: // ^
      cnt[C_MATHS_MARKS]!++;
      break;
    default:
      break;
  }
}

/** Ends a bigram chain: sentence and clause punctuation. */
function breaksBigrams(raw: number): boolean {
  return raw === 46 || raw === 44 || raw === 63 || raw === 33 || raw === 58 || raw === 59;
}

/** Mixes a bigram's two word hashes, and a trigram's three characters, into one hash. */
function mix2(a: number, b: number): number {
  return Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b) ^ 0x5bd1e995;
}

function sat(x: number, half: number): number {
  return x / (x + half);
}

/**
 * Fills `out` with the features of `s` (`out.n` pairs). Hashed features are presence (each
 * bucket once) and each block is scaled to unit length, 1/sqrt(distinct buckets), so neither a
 * long prompt nor a repeated sentence gets a larger n-gram term (length has dense features). Pure and allocation-free: one loop over `lastUser`'s code units. With `names`,
 * also writes each pair's readable name (`word:proof`, `words:prove that`, `chars:int`) for
 * `explain`; the scoring path leaves it out.
 */
export function extractFeatures(
  s: PromptSample,
  shape: FeatureShape,
  out: FeatureBuffer,
  names?: string[],
): void {
  scan(s, shape, out, undefined, names);
}

/**
 * The scoring path: w · x for the same features as extractFeatures, accumulated during the scan
 * with nothing written (no buffer, no second pass). `weights` is laid out as blockOffsets says.
 */
export function dotFeatures(s: PromptSample, shape: FeatureShape, weights: Float64Array): number {
  return scan(s, shape, undefined, weights, undefined);
}

/** Dense feature values of the current scan (module scratch: the scan is synchronous). */
const denseScratch = new Float64Array(DENSE_COUNT);
const counters = new Int32Array(COUNTERS);
let seen = new Uint32Array(0);
let gen = 0;

function scan(
  s: PromptSample,
  shape: FeatureShape,
  out: FeatureBuffer | undefined,
  weights: Float64Array | undefined,
  names: string[] | undefined,
): number {
  const text = s.lastUser;
  const len = text.length;
  const { word: wordBase, char: charBase } = blockOffsets(shape);
  const wordMask = (1 << shape.wordBits) - 1;
  const charShift = 32 - shape.charBits;
  const withChars = shape.charBits > 0;
  const idx = out?.idx;
  const cnt = counters;
  cnt.fill(0);
  // Hashed features are presence, not counts: a bucket counts once per prompt however often its
  // words repeat (so a repeated sentence cannot push the score). `seen[b] === gen` marks it.
  const total = blockOffsets(shape).total;
  if (seen.length < total) seen = new Uint32Array(total);
  gen = gen === 0xffffffff ? (seen.fill(0), 1) : gen + 1;
  // Dense slots first, filled at the end; hashed pairs follow.
  let n = DENSE_COUNT;
  const wordStart = n;
  let nWord = 0;
  let nChar = 0;
  let sumWord = 0;
  let sumChar = 0;
  let words = 0;
  let wordChars = 0;
  let longWords = 0;
  let listItems = 0;
  let optionLines = 0;
  let numbers = 0;
  let h = FNV_OFFSET;
  let wlen = 0;
  let allDigits = true;
  let prevWord = 0;
  let lineCol = 0; // non-space characters seen on this line, counted up to 2 (list/option markers)
  let lineFirst = 0;
  let c1 = 32; // previous two characters (lower-cased, whitespace as space) for trigrams
  let c2 = 32;
  let wordStartAt = 0;
  let prevToken = '';
  const limit = idx ? idx.length - 4 : 0x7fffffff;
  for (let i = 0; i <= len; i++) {
    const raw = i < len ? text.charCodeAt(i) : 32;
    const cls = CLASS[raw]!;
    // Fast path: a lower-case letter inside a line (most characters of most prompts).
    if (cls === WORD && lineCol === 2 && !withChars) {
      if (wlen === 0) wordStartAt = i;
      h = Math.imul(h ^ raw, FNV_PRIME);
      wlen++;
      allDigits = false;
      continue;
    }
    const c = cls & UPPER ? raw + 32 : raw;
    if (cls & (UPPER | DIGIT)) cnt[cls & UPPER ? C_UPPER : C_DIGITS]!++;
    if (cls & SPECIAL) countSpecial(raw, cnt);
    // Line markers: "A." .. "J." options, "1." / "-" / "*" list items.
    if (raw === 10) lineCol = 0;
    else if (lineCol < 2 && !(cls & SPACE)) {
      if (lineCol === 0) {
        lineFirst = raw;
        if (raw === 45 || raw === 42 || raw === 0x2022) {
          listItems++;
          lineCol = 2;
        } else lineCol = 1;
      } else {
        if (raw === 46 || raw === 41) {
          if (lineFirst >= 65 && lineFirst <= 74) optionLines++;
          else if (lineFirst >= 48 && lineFirst <= 57) listItems++;
        }
        lineCol = 2;
      }
    }
    // Character trigram over lower-cased text, whitespace collapsed to one space.
    const cc = cls & SPACE ? 32 : c;
    if (withChars && i < len && !(cc === 32 && c1 === 32) && n < limit) {
      const f =
        charBase +
        (Math.imul(Math.imul(c2, 0x3b9f) ^ Math.imul(c1, 0x3f1) ^ cc, 0x9e3779b1) >>> charShift);
      if (seen[f] !== gen) {
        seen[f] = gen;
        nChar++;
        if (weights) sumChar += weights[f]!;
        else {
          idx![n] = f;
          if (names) names[n] = `chars:${String.fromCharCode(c2, c1, cc)}`;
          n++;
        }
      }
      c2 = c1;
      c1 = cc;
    }
    if (cls & WORD) {
      if (wlen === 0) wordStartAt = i;
      h = Math.imul(h ^ c, FNV_PRIME);
      wlen++;
      if (!(cls & DIGIT)) allDigits = false;
      continue;
    }
    if (wlen > 0) {
      words++;
      wordChars += wlen;
      if (wlen >= 9) longWords++;
      if (allDigits) numbers++;
      else {
        const k = lexLookup(h | 0);
        if (k >= 0) cnt[k]!++;
      }
      const wh = h >>> 0;
      if (n < limit) {
        const token = names ? text.slice(wordStartAt, i).toLowerCase() : '';
        const f = wordBase + (wh & wordMask);
        if (seen[f] !== gen) {
          seen[f] = gen;
          nWord++;
          if (weights) sumWord += weights[f]!;
          else {
            idx![n] = f;
            if (names) names[n] = `word:${token}`;
            n++;
          }
        }
        if (prevWord !== 0) {
          const g = wordBase + (mix2(prevWord, wh) & wordMask);
          if (seen[g] !== gen) {
            seen[g] = gen;
            nWord++;
            if (weights) sumWord += weights[g]!;
            else {
              idx![n] = g;
              if (names) names[n] = `words:${prevToken} ${token}`;
              n++;
            }
          }
        }
        prevToken = token;
      }
      prevWord = wh;
      h = FNV_OFFSET;
      wlen = 0;
      allDigits = true;
    }
    if (cls & SPECIAL && breaksBigrams(raw)) prevWord = 0; // all of them are SPECIAL
  }
  const lines = len > 0 ? cnt[C_LINES]! + 1 : 0;
  const questions = cnt[C_QUESTIONS]!;
  const digits = cnt[C_DIGITS]!;
  const upper = cnt[C_UPPER]!;
  const nonAscii = cnt[C_NON_ASCII]!;
  const cjk = cnt[C_CJK]!;
  const cyrillic = cnt[C_CYRILLIC]!;
  const accents = cnt[C_ACCENTS]!;
  const codeMarks = cnt[C_CODE_MARKS]!;
  const mathsMarks = cnt[C_MATHS_MARKS]!;
  const latex = cnt[C_LATEX]!;
  const lex = {
    code: cnt[C_CODE_WORDS]!,
    maths: cnt[C_MATHS_WORDS]!,
    step: cnt[C_STEP_WORDS]!,
    reasoning: cnt[C_REASONING_WORDS]!,
  };
  const sw = nWord > 0 ? 1 / Math.sqrt(nWord) : 0;
  const sc = nChar > 0 ? 1 / Math.sqrt(nChar) : 0;
  if (out) for (let k = wordStart; k < n; k++) out.val[k] = idx![k]! < charBase ? sw : sc;
  const chars = Math.max(1, len);
  const d = denseScratch;
  const dense = (f: DenseFeature, v: number) => {
    d[D[f]] = v;
  };
  // Length features stop at 1 (about 3,000 characters, 400 words, 50 lines): the training data
  // has nothing longer, and a linear model must not extrapolate length beyond what it saw.
  dense('chars', Math.min(1, Math.log1p(s.totalChars) / 8));
  dense('words', Math.min(1, Math.log1p(words) / 6));
  dense('lines', Math.min(1, Math.log1p(lines) / 4));
  dense('avgWordLength', words > 0 ? wordChars / words / 10 : 0);
  dense('longWords', words > 0 ? longWords / words : 0);
  dense('userTurns', Math.log1p(Math.max(0, s.userTurns - 1)) / 2);
  dense('systemPrompt', Math.log1p(s.systemChars) / 8);
  dense('tools', Math.log1p(s.tools) / 2);
  dense('questionMarks', sat(questions, 2));
  dense('digits', digits / chars);
  dense('upperCase', upper / chars);
  dense('nonAscii', nonAscii / chars);
  dense('cjk', cjk / chars);
  dense('cyrillic', cyrillic / chars);
  dense('latinAccents', Math.min(1, (accents / chars) * 10));
  dense('codeMarks', sat(codeMarks, 6));
  dense('mathsMarks', sat(mathsMarks, 4));
  dense('latex', sat(latex, 3));
  dense('listItems', sat(listItems, 3));
  dense('optionLines', sat(optionLines, 4));
  dense('codeWords', sat(lex.code, 2));
  dense('mathsWords', sat(lex.maths, 1.5));
  dense('stepWords', sat(lex.step, 3));
  dense('reasoningWords', sat(lex.reasoning, 1.5));
  dense('numbers', sat(numbers, 4));
  if (out) {
    for (let k = 0; k < DENSE_COUNT; k++) {
      out.idx[k] = k;
      out.val[k] = d[k]!;
      if (names) names[k] = DENSE_FEATURES[k]!;
    }
    out.n = n;
    return 0;
  }
  let z = sumWord * sw + sumChar * sc;
  for (let k = 0; k < DENSE_COUNT; k++) z += weights![k]! * d[k]!;
  return z;
}
