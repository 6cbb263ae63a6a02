import { digitsOf, findAll, type Detector, type Finding } from './finding.js';

// +country then 7-14 more digits in groups (spaces, dots, dashes, one pair of parentheses).
const INTERNATIONAL =
  /(?<![\w+]|\d[ -])(?:\+|00)[1-9]\d{0,2}(?:[ .-]?\(?\d{1,5}\)?){2,6}(?![\w]|[ .-]\d)/g;
// North America: (212) 555-0123, 212-555-0123, 212.555.0123 (area and exchange start 2-9).
const NANP =
  /(?<![\w-]|\d[ -])(?:\([2-9]\d{2}\) ?|[2-9]\d{2}([-. ]))[2-9]\d{2}[-. ]\d{4}(?![\w]|[ .-]\d)/g;
// National trunk prefix 0: UK 07700 900123 / 020 7946 0958, FR 06 12 34 56 78, DE 030 12345678.
const NATIONAL =
  /(?<![\w-]|\d[ -])(?:0[1-9](?:[ .]\d{2}){4}|0\d{2,4}[ /-]\d{3,4}[ -]?\d{3,4}|07\d{3} ?\d{6})(?![\w]|[ .-]\d)/g;

const at = (m: RegExpExecArray, kind: string): Finding => ({
  start: m.index,
  end: m.index + m[0].length,
  kind,
});

/** Phone numbers: E.164 / international (+ or 00), North American, and common national forms. */
export const phoneDetector: Detector = {
  class: 'phone',
  find(text: string): Finding[] {
    return [
      ...findAll(text, INTERNATIONAL, (m) => {
        const n = digitsOf(m[0]).length - (m[0].startsWith('00') ? 2 : 0);
        return n >= 8 && n <= 15 ? at(m, 'e164') : undefined;
      }),
      ...findAll(text, NANP, (m) => at(m, 'nanp')),
      ...findAll(text, NATIONAL, (m) => {
        const n = digitsOf(m[0]).length;
        return n >= 10 && n <= 12 ? at(m, 'national') : undefined;
      }),
    ];
  },
};
