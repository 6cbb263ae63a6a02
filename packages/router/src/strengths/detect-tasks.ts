import type { StrengthTask } from '@bascule/spec';

/** What the request body says outright, beyond the prompt text. */
export interface BodySignals {
  /** Tools offered to the model (`tools`, or legacy `functions`). */
  tools: number;
  /** `response_format.type` is `json_schema` or `json_object`. */
  structuredOutput: boolean;
}

/** Characters of the last user message the task detector reads. */
export const TASK_SAMPLE_CHARS = 1000;

/**
 * Words only programmers use (English, and the word for code or function elsewhere). Ordinary
 * English words that are also keywords (function, class, return, from, where, select, shell,
 * rust, bug) are left out: biology questions are full of them.
 */
const CODE_WORDS = new Set(
  (
    'def const var async await lambda struct impl fn println printf console.log stdout stderr ' +
    'python javascript typescript golang kotlin sql regex html css json yaml api apis ' +
    'compile compiler compiles debug refactor stacktrace traceback segfault code snippet ' +
    'fonction código codice funktion función funzione função'
  ).split(' '),
);
/** Words that name mathematics. */
const MATH_WORDS = new Set(
  (
    'prove proof theorem lemma integral integrals derivative derivatives derive equation ' +
    'equations solve matrix eigenvalue eigenvalues eigenvector probability polynomial modulo ' +
    'prime primes factorise factorize logarithm algebra geometry calculus limit sqrt ' +
    'démontrer démontre équation intégrale probabilité ecuación demostrar probabilidad ' +
    'gleichung beweise beweisen wahrscheinlichkeit equazione dimostra probabilità equação ' +
    'demonstre probabilidade'
  ).split(' '),
);
/** The same for scripts without spaces between words (and Cyrillic stems). */
const CODE_STEMS =
  /代码|函数|编程|程序|算法|コード|関数|プログラム|코드|함수|프로그램|код|функци|програм/g;
const MATH_STEMS =
  /证明|方程|积分|导数|概率|矩阵|数学|証明|積分|微分|確率|행렬|방정식|적분|확률|уравнен|интеграл|доказ|вероятност|производн/g;
/** Code punctuation: fences, arrows, calls, operators, statement ends, tags, loops, SQL. */
const CODE_MARKS =
  /```|=>|->|\w\(\)|\+\+|\+=|==|!=|&&|\|\||[{};][ \t]*$|<\/\w+>|\b(?:for|while|if|switch) ?\(|^\s*(?:#include|import |from \w+ import)|select [\w*, .]+ from /gm;
/** Maths notation: LaTeX, symbols, arithmetic between numbers or variables. */
const MATH_MARKS =
  /\\(?:frac|int|sum|sqrt|lim|partial|prod|cdot|infty)|[∑∫√≤≥≠∀∃π∞∂×÷]|[0-9)][ \t]*[+*/^=<>][ \t]*[0-9(a-z]|[0-9)] [-−] [0-9(]|[a-z]\^[0-9]/g;

function count(re: RegExp, text: string, cap: number): number {
  re.lastIndex = 0;
  let n = 0;
  while (n < cap && re.exec(text) !== null) n++;
  return n;
}

/**
 * The task kinds of a request. `tools` and `structured-output` come from the body (tools
 * offered, a JSON response_format) and are certain. `code` and `math` come from the last user
 * message: a code fence alone, or two signals among code words (`def`, `SELECT`, `python`, the
 * word for code in several languages), code punctuation (`=>`, `f()`, lines ending in `{` or
 * `;`); for maths two signals among maths words, LaTeX, symbols and arithmetic. One word is not
 * enough ("class", "prime"), so a prompt is not sent to a code model for mentioning a bug.
 */
export function detectTasks(lastUser: string, body: BodySignals): StrengthTask[] {
  const tasks: StrengthTask[] = [];
  const text = (
    lastUser.length > TASK_SAMPLE_CHARS ? lastUser.slice(0, TASK_SAMPLE_CHARS) : lastUser
  ).toLowerCase();
  const hits = { code: 0, math: 0 };
  countWords(text, hits);
  hits.code += count(CODE_STEMS, text, 4) + count(CODE_MARKS, text, 6);
  hits.math += count(MATH_STEMS, text, 4) + count(MATH_MARKS, text, 6);
  if (text.includes('```') || hits.code >= 2) tasks.push('code');
  if (hits.math >= 2) tasks.push('math');
  if (body.tools > 0) tasks.push('tools');
  if (body.structuredOutput) tasks.push('structured-output');
  return tasks;
}

/** One pass over words (letters, digits, `_`, `.`, `#`): lexicon lookups, no regex per word. */
function countWords(text: string, hits: { code: number; math: number }): void {
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    const letter = (c >= 97 && c <= 122) || (c >= 0xdf && c <= 0x24f && c !== 0xf7);
    const inner = letter || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 35;
    if (start < 0) {
      if (letter || c === 35) start = i;
    } else if (!inner || i === text.length) {
      let end = i;
      while (end > start && text.charCodeAt(end - 1) === 46) end--; // a sentence's full stop
      // No lexicon word is shorter than 2 or longer than 16 characters: skip the slice.
      if (end - start >= 2 && end - start <= 16) {
        const w = text.slice(start, end);
        if (CODE_WORDS.has(w)) hits.code++;
        else if (MATH_WORDS.has(w)) hits.math++;
      }
      start = -1;
    }
  }
}
