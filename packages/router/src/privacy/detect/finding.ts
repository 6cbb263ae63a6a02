/** Where a detector matched: offsets into the scanned text, and which kind (never the text). */
export interface Finding {
  start: number;
  end: number;
  /** Sub-kind for audit and evaluation, e.g. `visa`, `us-ssn`, `jwt`, `aws-access-key`. */
  kind: string;
}

/** One detector class: a pure function from text to findings. */
export interface Detector {
  readonly class: string;
  find(text: string): Finding[];
}

/** Every match of a global regex, validated by `accept` (which may narrow the span or say no). */
export function findAll(
  text: string,
  re: RegExp,
  accept: (m: RegExpExecArray) => Finding | undefined,
): Finding[] {
  const out: Finding[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const f = accept(m);
    if (f) out.push(f);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/** The digits of a string, as numbers. */
export function digitsOf(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) out.push(c);
  }
  return out;
}

/** True when every separator between digit groups is the same character (or there is none). */
export function consistentSeparators(s: string): boolean {
  const seps = s.replace(/[0-9A-Za-z]/g, '');
  return seps.length === 0 || [...seps].every((c) => c === seps[0]);
}
