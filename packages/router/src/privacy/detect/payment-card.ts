import { consistentSeparators, digitsOf, findAll, type Detector, type Finding } from './finding.js';

/** Luhn (mod 10) check over a card number's digits. */
export function luhnValid(digits: readonly number[]): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits[digits.length - 1 - i]!;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The card network an issuer prefix (IIN) belongs to, with its allowed lengths. */
export function cardNetwork(d: readonly number[]): string | undefined {
  const n = (k: number) => Number(d.slice(0, k).join(''));
  const len = d.length;
  if (d[0] === 4 && [13, 16, 19].includes(len)) return 'visa';
  if (len === 16 && ((n(2) >= 51 && n(2) <= 55) || (n(4) >= 2221 && n(4) <= 2720)))
    return 'mastercard';
  if (len === 15 && (n(2) === 34 || n(2) === 37)) return 'amex';
  if (len >= 16 && len <= 19 && (n(4) === 6011 || n(2) === 65 || (n(3) >= 644 && n(3) <= 649)))
    return 'discover';
  if (len >= 16 && len <= 19 && n(4) >= 3528 && n(4) <= 3589) return 'jcb';
  if (len === 14 && (n(2) === 36 || n(2) === 38 || (n(3) >= 300 && n(3) <= 305))) return 'diners';
  if (len >= 16 && len <= 19 && n(2) === 62) return 'unionpay';
  return undefined;
}

// 13 to 19 digits, optionally grouped by single spaces or dashes, not inside a longer number.
// Not a stretch of a longer grouped code (an IBAN's digit groups): no digit group just before or after.
const CARD = /(?<![\d.,-]|\d[ -])\d(?:[ -]?\d){12,18}(?![\d]|[.,-]\d|[ -]\d)/g;

/** Payment card numbers: a known network's prefix and length, and a valid Luhn check digit. */
export const paymentCardDetector: Detector = {
  class: 'payment-card',
  find(text: string): Finding[] {
    return findAll(text, CARD, (m) => {
      if (!consistentSeparators(m[0])) return undefined;
      const d = digitsOf(m[0]);
      if (d.every((x) => x === d[0])) return undefined;
      const network = cardNetwork(d);
      if (!network || !luhnValid(d)) return undefined;
      return { start: m.index, end: m.index + m[0].length, kind: network };
    });
  },
};
