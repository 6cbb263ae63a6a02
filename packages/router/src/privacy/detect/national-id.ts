import { digitsOf, findAll, type Detector, type Finding } from './finding.js';

/** US SSN rules: area not 000, 666 or 900-999; group not 00; serial not 0000. */
export function ssnValid(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && group !== '00' && serial !== '0000';
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI/NIE: the letter is the number mod 23 (NIE: X, Y, Z stand for 0, 1, 2). */
export function dniValid(id: string): boolean {
  const s = id.replace('-', '').toUpperCase();
  const num = s.slice(0, -1).replace(/^[XYZ]/, (c) => String('XYZ'.indexOf(c)));
  return DNI_LETTERS[Number(num) % 23] === s.slice(-1);
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Verhoeff check (Indian Aadhaar numbers): true when the last digit checks the others. */
export function verhoeffValid(digits: readonly number[]): boolean {
  let c = 0;
  for (let i = 0; i < digits.length; i++)
    c = VERHOEFF_D[c]![VERHOEFF_P[i % 8]![digits[digits.length - 1 - i]!]!]!;
  return c === 0;
}

// 123-45-6789 or 123 45 6789 (same separator); bare 9 digits only after the words SSN/social security.
const SSN = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d]|-\d)/g;
const SSN_BARE =
  /\b(?:ssn|social security(?: number| no\.?)?)\W{1,4}(?:is\W{1,3})?(\d{3})(\d{2})(\d{4})\b/gi;
const DNI = /(?<![A-Za-z0-9])(?:\d{8}|[XYZ]\d{7})-?[A-Z](?![A-Za-z0-9])/g;
// Grouped 1234 5678 9012 (not a stretch of a longer grouped number such as an IBAN), or bare
// 12 digits after the word Aadhaar.
const AADHAAR = /(?<![\d-]|\d[ -])[2-9]\d{3}([ -])\d{4}\1\d{4}(?![\d]|[ -]\d)/g;
const AADHAAR_BARE = /\baadhaar(?: number| no\.?)?\W{1,4}(?:is\W{1,3})?([2-9]\d{11})\b/gi;

/** National identifiers with a check: US SSN (issuance rules), Spanish DNI/NIE, Indian Aadhaar. */
export const nationalIdDetector: Detector = {
  class: 'national-id',
  find(text: string): Finding[] {
    const ssn = (m: RegExpExecArray, a: string, g: string, s: string): Finding | undefined =>
      ssnValid(a, g, s)
        ? { start: m.index, end: m.index + m[0].length, kind: 'us-ssn' }
        : undefined;
    return [
      ...findAll(text, SSN, (m) => ssn(m, m[1]!, m[3]!, m[4]!)),
      ...findAll(text, SSN_BARE, (m) => {
        const f = ssn(m, m[1]!, m[2]!, m[3]!);
        return f && { ...f, start: f.end - 9 };
      }),
      ...findAll(text, DNI, (m) =>
        dniValid(m[0]) ? { start: m.index, end: m.index + m[0].length, kind: 'es-dni' } : undefined,
      ),
      ...findAll(text, AADHAAR, (m) =>
        verhoeffValid(digitsOf(m[0]))
          ? { start: m.index, end: m.index + m[0].length, kind: 'in-aadhaar' }
          : undefined,
      ),
      ...findAll(text, AADHAAR_BARE, (m) =>
        verhoeffValid(digitsOf(m[1]!))
          ? { start: m.index + m[0].length - 12, end: m.index + m[0].length, kind: 'in-aadhaar' }
          : undefined,
      ),
    ];
  },
};
