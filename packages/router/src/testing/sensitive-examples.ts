// A labelled set for the privacy detectors: synthetic positives of every class (valid check
// digits, realistic formats, embedded in ordinary sentences), well-known public test values
// (card test numbers, the IBAN registry's examples, AWS's documented example key, jwt.io's
// example token), and negatives that look alike: invalid Luhn numbers, wrong IBAN/DNI/Aadhaar
// check digits, SSNs that are never issued, order and tracking numbers, UUIDs, version strings,
// dates, prices, hashes and placeholders. Generated from a seed, so the set is reproducible.
import { seededRandom } from '../evaluation/routing-metrics.js';
import { ibanValid, mod97 } from '../privacy/detect/iban.js';
import { luhnValid } from '../privacy/detect/payment-card.js';
import { addContactAndSecretExamples, NAMES } from './sensitive-examples-contacts.js';
import { addNumberExamples } from './sensitive-examples-numbers.js';

export interface SensitiveExample {
  text: string;
  /** The detector class the text carries, or undefined for a negative. */
  class?: string;
  /** What the example is, e.g. `visa`, `invalid-luhn`, `uuid`, `version-string`. */
  kind: string;
}

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
export const ALNUM = UPPER + LOWER + DIGITS;
export const HEX = '0123456789abcdef';

/** A seeded generator of examples: random draws, sentence templates, and the set being built. */
export function exampleGen(seed: number, perKind: number) {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const chars = (n: number, alphabet: string) =>
    Array.from({ length: n }, () => pick([...alphabet])).join('');
  const digits = (n: number) => chars(n, DIGITS);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const say = (templates: readonly string[], value: string) => pick(templates).replace('{}', value);
  const out: SensitiveExample[] = [];
  const add = (kind: string, cls: string | undefined, make: () => string, n = perKind) => {
    for (let i = 0; i < n; i++) out.push({ text: make(), kind, ...(cls ? { class: cls } : {}) });
  };
  /** A card number with the prefix, the length and a valid Luhn digit. */
  const withLuhn = (prefix: string, len: number) => {
    const body = prefix + digits(len - prefix.length - 1);
    for (let c = 0; c < 10; c++)
      if (luhnValid([...(body + c)].map(Number))) return body + String(c);
    return body + '0';
  };
  /** A valid IBAN for the country and BBAN. */
  const iban = (country: string, bban: string) => {
    const tmp = `${country}00${bban}`;
    const check = 98 - mod97(bban + country + '00');
    const s = `${country}${String(check).padStart(2, '0')}${bban}`;
    return ibanValid(s) ? s : tmp;
  };
  return { rnd, pick, chars, digits, int, say, add, out, withLuhn, iban };
}
export type ExampleGen = ReturnType<typeof exampleGen>;

/** The whole set: positives of each class and look-alike negatives, `perKind` of each kind. */
export function sensitiveExamples(seed = 26, perKind = 6): SensitiveExample[] {
  const g = exampleGen(seed, perKind);
  const { pick, chars, digits, int, add, withLuhn, iban } = g;
  addNumberExamples(g);
  addContactAndSecretExamples(g);
  // Hard cases, kept in the set on purpose: what the detectors are known to miss or to mistake.
  add('iban-lowercase', 'iban', () => `iban ${iban('DE', digits(18)).toLowerCase()}`, 3);
  add(
    'phone-unseparated',
    'phone',
    () => `call ${int(201, 989)}${int(201, 989)}${digits(4)} tonight`,
    3,
  );
  add(
    'ssn-no-context',
    'national-id',
    () => `number ${int(100, 665)}${int(10, 99)}${int(1000, 9999)} on file`,
    3,
  );
  add('secret-no-keyword', 'secret', () => `use ${chars(40, ALNUM)} for prod`, 3);
  add('email-obfuscated', 'email', () => `${pick(NAMES)} at example dot com`, 3);
  add('luhn-valid-order-number', undefined, () => `Order ${withLuhn('4', 16)} confirmed.`, 3);
  add(
    'section-number',
    undefined,
    () => `See section ${int(1, 9)}.${int(1, 9)}.${int(1, 9)}.${int(1, 9)} of the spec.`,
    3,
  );
  add(
    'phone-shaped-ticket',
    undefined,
    () => `Ticket ${int(201, 989)}-${int(201, 989)}-${digits(4)} is closed.`,
    3,
  );
  return g.out;
}
