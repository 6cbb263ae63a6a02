import { findAll, type Detector, type Finding } from './finding.js';

/** IBAN length by country (ISO 13616 registry, the countries most often seen). */
const IBAN_LENGTH: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TN: 24,
  TR: 26,
  UA: 29,
  VG: 24,
  XK: 20,
};

/** The remainder mod 97 of an alphanumeric string read as digits (A = 10 ... Z = 35). */
export function mod97(s: string): number {
  let r = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c >= 65 ? c - 55 : c - 48;
    r = v >= 10 ? (r * 100 + v) % 97 : (r * 10 + v) % 97;
  }
  return r;
}

/** ISO 7064 mod 97-10 over an IBAN (country and check digits moved to the end): 1 when valid. */
export function ibanValid(compact: string): boolean {
  return mod97(compact.slice(4) + compact.slice(0, 4)) === 1;
}

// Country code, check digits, then 11-30 alphanumerics, optionally in groups of four.
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/g;

/** IBANs: a known country's length and a valid mod-97 check (upper case, compact or grouped). */
export const ibanDetector: Detector = {
  class: 'iban',
  find(text: string): Finding[] {
    return findAll(text, IBAN, (m) => {
      const len = IBAN_LENGTH[m[0].slice(0, 2)];
      if (len === undefined) return undefined;
      // Take exactly the country's length of characters (the match may run into a next word).
      let n = 0;
      let end = 0;
      while (end < m[0].length && n < len) if (m[0][end++] !== ' ') n++;
      if (n < len) return undefined;
      const next = text[m.index + end];
      if (next !== undefined && /[A-Za-z0-9]/.test(next)) return undefined;
      const compact = m[0].slice(0, end).replace(/ /g, '');
      if (!ibanValid(compact)) return undefined;
      return { start: m.index, end: m.index + end, kind: compact.slice(0, 2).toLowerCase() };
    });
  },
};
