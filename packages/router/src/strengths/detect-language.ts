import type { StrengthLanguage } from '@bascule/spec';

/** The language of a prompt and how it was recognised. */
export interface DetectedLanguage {
  language: StrengthLanguage;
  /** `script` when the writing system decided (zh, ja, ko, ru, ar, hi, el, he, th), else `words`. */
  by: 'script' | 'words';
}

/** Characters of the prompt the detector reads: the language shows in the first few sentences. */
export const LANGUAGE_SAMPLE_CHARS = 500;
/** Characters of Latin-script text read for function words: about fifty words. */
const LATIN_SAMPLE_CHARS = 300;

// Script buckets, counted in one char-code pass.
const LATIN = 0;
const HAN = 1;
const KANA = 2;
const HANGUL = 3;
const CYRILLIC = 4;
const ARABIC = 5;
const DEVANAGARI = 6;
const GREEK = 7;
const HEBREW = 8;
const THAI = 9;
const SCRIPT_LANGUAGE: readonly (StrengthLanguage | undefined)[] = [
  undefined,
  'zh',
  'ja',
  'ko',
  'ru',
  'ar',
  'hi',
  'el',
  'he',
  'th',
];
/**
 * One CJK character carries about as much as a short word, three to five Latin letters: weigh
 * it so that a Chinese question with an English identifier or two is still Chinese.
 */
const WEIGHT = [1, 3, 3, 3, 1, 1, 1, 1, 1, 1];

function scriptOf(c: number): number {
  if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? LATIN : -1;
  if (c >= 0xc0 && c <= 0x24f) return c === 0xd7 || c === 0xf7 ? -1 : LATIN;
  if (c >= 0x370 && c <= 0x3ff) return GREEK;
  if (c >= 0x400 && c <= 0x52f) return CYRILLIC;
  if (c >= 0x590 && c <= 0x5ff) return HEBREW;
  if ((c >= 0x600 && c <= 0x6ff) || (c >= 0x750 && c <= 0x77f)) return ARABIC;
  if (c >= 0x900 && c <= 0x97f) return DEVANAGARI;
  if (c >= 0xe00 && c <= 0xe7f) return THAI;
  if ((c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f)) return HANGUL;
  if (c >= 0xac00 && c <= 0xd7af) return HANGUL;
  if (c >= 0x3040 && c <= 0x30ff) return KANA;
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) return HAN;
  if (c >= 0xff66 && c <= 0xff9d) return KANA; // half-width katakana
  return -1;
}

type Latin = 'en' | 'fr' | 'de' | 'es' | 'it' | 'pt';
const LATIN_LANGUAGES: readonly Latin[] = ['en', 'fr', 'de', 'es', 'it', 'pt'];

/**
 * The most frequent function words of each language (articles, prepositions, pronouns,
 * auxiliaries, question words) plus a few words prompts use (write, explain, please). A word
 * several languages share counts for each of them; the words only one language uses decide.
 * French and Italian elisions are split at the apostrophe, so `l'`, `qu'`, `c'` are words.
 */
const STOPWORDS: Record<Latin, string> = {
  en: 'the and of to is are was were be been being that this these those with for on at by what which who whom how why when where can could would should will shall do does did have has had not it its you your we our they their them he she his her my me please about from an a or but if there than then into write explain give tell make show describe list any some all no yes just only also as per each one two more most other after before over under between through same such use using many much following find calculate given following in out up down off whether while because so',
  fr: "le la les des du de un une et est sont que qui quoi pour dans sur avec pas ne ce cette ces il elle ils elles nous vous je tu mon ma mes ton ta votre vos leur leurs au aux en par plus mais ou où comment pourquoi quel quelle quels quelles être avoir fait faire très aussi peut peux sont était été l' qu' c' j' d' n' s' m' y donne écris explique moi toi lui",
  de: 'der die das den dem des ein eine einen einem einer eines und ist sind war waren nicht mit für auf zu zum zur im in von vom wie was warum wer wo wann welche welcher welches es ich du sie wir ihr mein meine dein kann können bitte auch aber oder noch nur sehr über bei aus nach dass wenn als an so schreibe erkläre gib mir mich uns habe hat haben wird werden diese dieser dieses',
  es: 'el la los las de del un una unos unas y es son que qué en por para con no se su sus lo al como cómo más pero o este esta estos estas esto porque cuál cuáles cuando cuándo dónde donde muy también hay ser está están yo tú usted puedes puede me mi mis sobre entre escribe explica dame ella ellos fue',
  it: "il lo la i gli le un uno una di del dello della dei degli delle e è che in per con non si su come più ma o questo questa questi queste perché quale quali quando dove molto anche sono essere io tu puoi può mi mio mia al allo alla ai alle nel nella nei tra fra da dal dalla ci l' d' un' dell' all' nell' scrivi spiega dammi cosa",
  pt: 'o os a as um uma uns umas de do da dos das e é que em no na nos nas por para com não se seu sua seus suas como mais mas ou este esta estes isso isto porque qual quais quando onde muito também há ser está estão são eu você pode meu minha pelo pela pelos pelas ao aos à sobre entre ele ela eles escreva explique me dê',
};

/** Letter sequences (inside words) that only one of the six languages uses often. */
const MARKS: Record<Latin, readonly string[]> = {
  en: ['th', 'wh', 'ing '],
  fr: ['eau', 'ç', 'è', 'ê', 'œ', 'ù', 'û', 'î', "qu'", "'est", 'aient'],
  de: ['sch', 'ß', 'ä', 'ö', 'ü', 'cht', 'ung '],
  es: ['ñ', 'ción', '¿', '¡', 'ué'],
  it: ['zione', 'gli', 'zz', 'cch', 'ggi', 'ò', 'ì'],
  pt: ['ção', 'ções', 'ã', 'õ', 'nh', 'lh'],
};

const WORD_LANGS = new Map<string, number>();
LATIN_LANGUAGES.forEach((lang, bit) => {
  for (const w of STOPWORDS[lang].split(' '))
    WORD_LANGS.set(w, (WORD_LANGS.get(w) ?? 0) | (1 << bit));
});

function isLatinLetter(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 0xdf && c <= 0x24f && c !== 0xf7) // lower-cased text
  );
}

/**
 * The language of a prompt, in-process and in microseconds. First the writing system: one pass
 * over at most LANGUAGE_SAMPLE_CHARS characters counts letters per script (CJK characters count
 * three); kana make it Japanese, Hangul Korean, Han without kana Chinese, and Cyrillic, Arabic,
 * Devanagari, Greek, Hebrew and Thai name their language. Latin text is told apart by words:
 * each function word votes for the languages that use it, and letter sequences only one
 * language uses often (ç, ß, ñ, ção, zione...) add half a vote. No letters, or a tie between
 * Latin languages, gives undefined: nothing is claimed that was not seen.
 */
export function detectLanguage(text: string): DetectedLanguage | undefined {
  const end = Math.min(text.length, LANGUAGE_SAMPLE_CHARS);
  const counts = new Int32Array(10);
  for (let i = 0; i < end; i++) {
    const s = scriptOf(text.charCodeAt(i));
    if (s >= 0) counts[s] = counts[s]! + 1;
  }
  // Japanese writes Han and kana together; Chinese never uses kana.
  if (counts[KANA]! > 0 && counts[KANA]! * 20 >= counts[HAN]! + counts[KANA]!) {
    counts[KANA] = counts[KANA]! + counts[HAN]!;
    counts[HAN] = 0;
  } else {
    counts[HAN] = counts[HAN]! + counts[KANA]!;
    counts[KANA] = 0;
  }
  let best = -1;
  let bestWeight = 0;
  for (let s = 1; s < counts.length; s++) {
    const w = counts[s]! * WEIGHT[s]!;
    if (w > bestWeight) {
      bestWeight = w;
      best = s;
    }
  }
  // Another script than Latin wins at half the Latin letters: a writer who uses it at all is
  // writing in it (identifiers, code and brand names are in Latin letters everywhere).
  if (bestWeight < 2 || bestWeight * 2 < counts[LATIN]!) {
    best = counts[LATIN]! >= 2 ? LATIN : -1;
  }
  if (best < 0) return undefined;
  if (best !== LATIN) return { language: SCRIPT_LANGUAGE[best]!, by: 'script' };
  const latin = latinLanguage(text.slice(0, Math.min(end, LATIN_SAMPLE_CHARS)));
  return latin ? { language: latin, by: 'words' } : undefined;
}

function latinLanguage(original: string): Latin | undefined {
  const text = original.toLowerCase();
  const votes = [0, 0, 0, 0, 0, 0];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (isLatinLetter(c)) {
      if (start < 0) start = i;
      continue;
    }
    if (start < 0) continue;
    // One letter is a word only as an elision (l', d', qu') or in lower case (a, e, o, y):
    // capitals alone are labels and initials ("A. 3.06%", "I").
    const elided = c === 39 || c === 0x2019;
    const skip =
      i - start === 1 && !elided && original.charCodeAt(start) !== text.charCodeAt(start);
    const key = elided ? `${text.slice(start, i)}'` : text.slice(start, i);
    const mask = skip ? undefined : WORD_LANGS.get(key);
    // A lone letter may also be a variable (x, y, e): half a vote.
    const vote = i - start === 1 && !elided ? 0.5 : 1;
    if (mask !== undefined) for (let b = 0; b < 6; b++) if (mask & (1 << b)) votes[b]! += vote;
    start = -1;
  }
  if (!decided(votes)) addMarks(text, votes);
  return winner(votes);
}

/** Enough function words, and a clear lead: the letter marks would not change the answer. */
function decided(votes: readonly number[]): boolean {
  const [top, second] = topTwo(votes);
  return top >= 3 && top >= second + 2;
}

function addMarks(text: string, votes: number[]): void {
  for (let b = 0; b < 6; b++) {
    for (const m of MARKS[LATIN_LANGUAGES[b]!]) {
      let at = text.indexOf(m);
      let n = 0;
      while (at >= 0 && n < 8) {
        n++;
        at = text.indexOf(m, at + m.length);
      }
      votes[b]! += n / 2;
    }
  }
}

function topTwo(votes: readonly number[]): [number, number] {
  let top = 0;
  let second = 0;
  for (const v of votes) {
    if (v > top) {
      second = top;
      top = v;
    } else if (v > second) second = v;
  }
  return [top, second];
}

function winner(votes: readonly number[]): Latin | undefined {
  let best = -1;
  let second = 0;
  let top = 0;
  for (let b = 0; b < 6; b++) {
    if (votes[b]! > top) {
      second = top;
      top = votes[b]!;
      best = b;
    } else if (votes[b]! > second) second = votes[b]!;
  }
  if (best < 0 || top < 1 || top === second) return undefined;
  return LATIN_LANGUAGES[best];
}
