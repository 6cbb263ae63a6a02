import { describe, expect, it } from 'vitest';
import { sensitiveExamples } from '../../testing/sensitive-examples.js';
import { evaluateDetectors } from '../evaluate-detectors.js';
import { DETECTORS } from './detectors.js';
import { ibanValid } from './iban.js';
import { ssnValid, verhoeffValid, dniValid } from './national-id.js';
import { luhnValid } from './payment-card.js';
import { ipv6Valid } from './ip-address.js';

/** The texts a class's detector finds in `text`, as `kind:match` (tests only: audit never sees text). */
const found = (cls: keyof typeof DETECTORS, text: string) =>
  DETECTORS[cls].find(text).map((f) => `${f.kind}:${text.slice(f.start, f.end)}`);

describe('check digits', () => {
  it('Luhn, mod-97, SSN issuance, DNI letter, Verhoeff', () => {
    expect(luhnValid([...'4111111111111111'].map(Number))).toBe(true);
    expect(luhnValid([...'4111111111111112'].map(Number))).toBe(false);
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('GB83WEST12345698765432')).toBe(false);
    expect([ssnValid('123', '45', '6789'), ssnValid('666', '45', '6789')]).toEqual([true, false]);
    expect([ssnValid('900', '45', '6789'), ssnValid('123', '00', '6789')]).toEqual([false, false]);
    expect([dniValid('12345678Z'), dniValid('12345678A'), dniValid('X1234567L')]).toEqual([
      true,
      false,
      true,
    ]);
    expect(verhoeffValid([...'2363'].map(Number))).toBe(true);
    expect(verhoeffValid([...'2364'].map(Number))).toBe(false);
    expect([ipv6Valid('2001:db8::1'), ipv6Valid('12:30:45'), ipv6Valid('a::b')]).toEqual([
      true,
      false,
      false,
    ]);
  });
});

describe('detectors', () => {
  it('payment cards: a known network and a valid Luhn digit, not order numbers or IBAN groups', () => {
    expect(found('payment-card', 'card 4111 1111 1111 1111, exp 04/27')).toEqual([
      'visa:4111 1111 1111 1111',
    ]);
    expect(found('payment-card', 'amex 3782-822463-10005')).toEqual(['amex:3782-822463-10005']);
    expect(found('payment-card', 'card 4111 1111 1111 1112')).toEqual([]);
    expect(found('payment-card', 'order 9111111111111111 and 4111-1111 1111-1111')).toEqual([]);
    expect(found('payment-card', 'IBAN FR14 2004 1010 0505 0001 3M02 606')).toEqual([]);
  });

  it('IBANs: country length and mod-97, compact or grouped', () => {
    expect(found('iban', 'to GB82 WEST 1234 5698 7654 32 today')).toEqual([
      'gb:GB82 WEST 1234 5698 7654 32',
    ]);
    expect(found('iban', 'DE89370400440532013000.')).toEqual(['de:DE89370400440532013000']);
    expect(found('iban', 'GB82 WEST 1234 5698 7654 33 and QQ82WEST12345698765432')).toEqual([]);
  });

  it('national identifiers: SSN, DNI/NIE, Aadhaar; never-issued SSNs and ISBNs are not', () => {
    expect(found('national-id', 'SSN 123-45-6789; SSN: 123456789')).toEqual([
      'us-ssn:123-45-6789',
      'us-ssn:123456789',
    ]);
    expect(found('national-id', 'DNI 12345678Z, NIE X1234567L, Aadhaar 2345 6789 0124')).toEqual(
      expect.arrayContaining(['es-dni:12345678Z', 'es-dni:X1234567L']),
    );
    expect(
      found('national-id', '666-45-6789 900-12-3456 ISBN 978-0-306-40615-7 12345678A'),
    ).toEqual([]);
  });

  it('e-mail: not package@version, @mentions, or the password of a URL', () => {
    expect(found('email', 'mailto:j.doe+x@mail.example.co.uk, or bob@example.com.')).toEqual([
      'email:j.doe+x@mail.example.co.uk',
      'email:bob@example.com',
    ]);
    expect(found('email', 'react@18.2.0 @alice postgres://u:pw@db.internal:5432')).toEqual([]);
  });

  it('phones: E.164, North American and national forms; not versions, dates or prices', () => {
    expect(
      found('phone', 'call +44 20 7946 0958, (212) 555-0123, 06 12 34 56 78 or 07700 900123'),
    ).toEqual([
      'e164:+44 20 7946 0958',
      'nanp:(212) 555-0123',
      'national:06 12 34 56 78',
      'national:07700 900123',
    ]);
    expect(found('phone', 'v1.22.333 on 2024-03-15 for $1,234.56 at 12:30:45')).toEqual([]);
  });

  it('IP addresses: IPv4 and IPv6; not version strings, times or MAC addresses', () => {
    expect(found('ip-address', 'from 10.0.0.12, and 2001:db8::8a2e:370:7334.')).toEqual([
      'ipv4:10.0.0.12',
      'ipv6:2001:db8::8a2e:370:7334',
    ]);
    expect(
      found('ip-address', 'version 1.2.3.4, v10.0.0.1, 10.0.19041.1, 12:30:45, 00:1A:2B:3C:4D:5E'),
    ).toEqual([]);
  });

  it('secrets: key formats, JWTs, private keys, tokens near key words; not UUIDs or placeholders', () => {
    const kinds = (t: string) => DETECTORS.secret.find(t).map((f) => f.kind);
    expect(kinds('AKIAIOSFODNN7EXAMPLE')).toEqual(['aws-access-key']);
    expect(kinds(`ghp_${'aB3'.repeat(12)}`)).toEqual(['github-token']);
    expect(
      kinds(
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      ),
    ).toEqual(['jwt']);
    expect(kinds('-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY-----')).toEqual(
      ['private-key'],
    );
    // A block whose END is far away (or missing) still fires, and covers the next 8 KB.
    const truncated = `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(20_000)} and more text`;
    expect(DETECTORS.secret.find(truncated).map((f) => [f.kind, f.start, f.end])).toEqual([
      ['private-key', 0, 27 + 8192],
    ]);
    expect(kinds('api_key = "q8Zr2LmX7vT1bN4kP0sW9yHc"')).toEqual(['high-entropy-token']);
    expect(kinds('password: Tr0ub4dor&3')).toEqual(['password']);
    expect(
      kinds(
        'session_token: 550e8400-e29b-41d4-a716-446655440000 api_key=YOUR_API_KEY password: ******** the tokenizer counts 4096 tokens; sk-learn-estimators',
      ),
    ).toEqual([]);
  });
});

describe('the labelled set', () => {
  const set = sensitiveExamples();

  it('has at least 200 positives and 200 look-alike negatives', () => {
    expect(set.filter((e) => e.class).length).toBeGreaterThanOrEqual(200);
    expect(set.filter((e) => !e.class).length).toBeGreaterThanOrEqual(200);
    for (const k of ['invalid-luhn', 'order-number', 'uuid', 'version-string'])
      expect(set.some((e) => e.kind === k && !e.class)).toBe(true);
  });

  it('every detector keeps precision and recall of at least 0.85 on it', () => {
    for (const s of evaluateDetectors(Object.values(DETECTORS), set)) {
      expect(s.positives, s.class).toBeGreaterThanOrEqual(24);
      expect(s.precision, `${s.class} precision`).toBeGreaterThanOrEqual(0.85);
      expect(s.recall, `${s.class} recall`).toBeGreaterThanOrEqual(0.85);
    }
  });
});
