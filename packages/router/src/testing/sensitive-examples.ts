// A labelled set for the privacy detectors: synthetic positives of every class (valid check
// digits, realistic formats, embedded in ordinary sentences), well-known public test values
// (card test numbers, the IBAN registry's examples, AWS's documented example key, jwt.io's
// example token), and negatives that look alike: invalid Luhn numbers, wrong IBAN/DNI/Aadhaar
// check digits, SSNs that are never issued, order and tracking numbers, UUIDs, version strings,
// dates, prices, hashes and placeholders. Generated from a seed, so the set is reproducible.
import { seededRandom } from '../evaluation/routing-metrics.js';
import { ibanValid, mod97 } from '../privacy/detect/iban.js';
import { verhoeffValid } from '../privacy/detect/national-id.js';
import { luhnValid } from '../privacy/detect/payment-card.js';

export interface SensitiveExample {
  text: string;
  /** The detector class the text carries, or undefined for a negative. */
  class?: string;
  /** What the example is, e.g. `visa`, `invalid-luhn`, `uuid`, `version-string`. */
  kind: string;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';

/** The whole set: positives of each class and look-alike negatives, `perKind` of each kind. */
export function sensitiveExamples(seed = 26, perKind = 6): SensitiveExample[] {
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

  // Payment cards.
  const withLuhn = (prefix: string, len: number) => {
    const body = prefix + digits(len - prefix.length - 1);
    for (let c = 0; c < 10; c++)
      if (luhnValid([...(body + c)].map(Number))) return body + String(c);
    return body + '0';
  };
  const group = (n: string, sizes: number[], sep: string) => {
    const parts: string[] = [];
    let at = 0;
    for (const s of sizes) parts.push(n.slice(at, (at += s)));
    if (at < n.length) parts.push(n.slice(at));
    return parts.join(sep);
  };
  const cardText = [
    'My card number is {} and it expires 04/27.',
    'Please refund the charge on card {}.',
    'customer_card: {}',
    'Can you check why {} was declined yesterday?',
    'Card on file: {} (exp 11/26, cvv 123)',
  ];
  const card = (prefix: string, len: number) => () => {
    const n = withLuhn(prefix, len);
    const sizes = len === 15 ? [4, 6, 5] : [4, 4, 4, 4];
    return say(cardText, pick(['', ' ', '-']) === '' ? n : group(n, sizes, pick([' ', '-'])));
  };
  add('visa', 'payment-card', card('4', 16));
  add('mastercard', 'payment-card', card(String(int(51, 55)), 16));
  add('amex', 'payment-card', card(pick(['34', '37']), 15));
  add('discover', 'payment-card', card('6011', 16));
  for (const n of [
    '4111 1111 1111 1111',
    '5555555555554444',
    '378282246310005',
    '6011-1111-1111-1117',
  ])
    out.push({ text: say(cardText, n), class: 'payment-card', kind: 'public-test-card' });
  add(
    'invalid-luhn',
    undefined,
    () => {
      const n = withLuhn('4', 16);
      const bad = n.slice(0, 15) + String((Number(n[15]) + int(1, 9)) % 10);
      return say(cardText, group(bad, [4, 4, 4, 4], ' '));
    },
    10,
  );
  add(
    'order-number',
    undefined,
    () =>
      say(
        [
          'Order #{} has shipped.',
          'Your order number is {}.',
          'Reference {} in your reply.',
          'Invoice {} is overdue.',
        ],
        pick([digits(10), digits(12), `${int(100, 999)}-${digits(7)}-${digits(7)}`]),
      ),
    10,
  );
  add('tracking-number', undefined, () =>
    say(
      ['Tracking: {}', 'Parcel {} is out for delivery.'],
      `1Z${chars(6, UPPER + DIGITS)}${digits(10)}`,
    ),
  );
  add(
    'epoch-millis',
    undefined,
    () => `created_at=${int(1_600_000_000, 1_800_000_000)}${digits(3)}`,
  );

  // IBANs.
  const iban = (country: string, bban: string) => {
    const tmp = `${country}00${bban}`;
    const check = 98 - mod97(bban + country + '00');
    const s = `${country}${String(check).padStart(2, '0')}${bban}`;
    return ibanValid(s) ? s : tmp;
  };
  const ibanText = [
    'Please wire the deposit to {} by Friday.',
    'IBAN: {}',
    'Pay into account {} (reference INV-2211).',
    'Our bank details changed; the new IBAN is {}.',
  ];
  const grouped = (s: string) => (rnd() < 0.5 ? s : s.replace(/(.{4})/g, '$1 ').trim());
  const bbans: [string, () => string][] = [
    ['DE', () => digits(18)],
    ['GB', () => chars(4, UPPER) + digits(14)],
    ['FR', () => digits(23)],
    ['ES', () => digits(20)],
    ['NL', () => chars(4, UPPER) + digits(10)],
    ['IT', () => chars(1, UPPER) + digits(22)],
    ['BE', () => digits(12)],
  ];
  for (const [c, b] of bbans)
    add(`iban-${c.toLowerCase()}`, 'iban', () => say(ibanText, grouped(iban(c, b()))), 4);
  for (const n of [
    'GB82 WEST 1234 5698 7654 32',
    'DE89370400440532013000',
    'FR1420041010050500013M02606',
  ])
    out.push({ text: say(ibanText, n), class: 'iban', kind: 'public-example-iban' });
  add('invalid-iban', undefined, () => {
    const [c, b] = pick(bbans);
    const s = iban(c, b());
    const bad =
      s.slice(0, 2) +
      String((Number(s.slice(2, 4)) + int(1, 50)) % 100).padStart(2, '0') +
      s.slice(4);
    return say(ibanText, grouped(bad));
  });
  add('product-code', undefined, () =>
    say(
      ['SKU {} is back in stock.', 'Part {} fits model X.'],
      `${pick(['AB', 'XC', 'QQ'])}${digits(2)}${chars(10, UPPER + DIGITS)}`,
    ),
  );

  // National identifiers.
  const ssnText = [
    'My SSN is {}.',
    'SSN: {}',
    'social security number {} on the W-2',
    'Applicant SSN {}',
  ];
  add('us-ssn', 'national-id', () => {
    const area = String(pick([int(1, 665), int(667, 899)])).padStart(3, '0');
    const sep = pick(['-', ' ']);
    return say(
      ssnText,
      `${area}${sep}${String(int(1, 99)).padStart(2, '0')}${sep}${String(int(1, 9999)).padStart(4, '0')}`,
    );
  });
  add(
    'us-ssn-bare',
    'national-id',
    () => `SSN: ${String(int(100, 665))}${String(int(10, 99))}${String(int(1000, 9999))}`,
    3,
  );
  add('es-dni', 'national-id', () => {
    const n = digits(8);
    return say(
      ['DNI {}', 'Mi DNI es {}.', 'NIF: {}'],
      n + 'TRWAGMYFPDXBNJZSQVHLCKE'[Number(n) % 23],
    );
  });
  add(
    'es-nie',
    'national-id',
    () => {
      const l = pick(['X', 'Y', 'Z']);
      const n = digits(7);
      return `NIE ${l}${n}${'TRWAGMYFPDXBNJZSQVHLCKE'[Number(String('XYZ'.indexOf(l)) + n) % 23]}`;
    },
    3,
  );
  const aadhaar = () => {
    const body = String(int(2, 9)) + digits(10);
    for (let c = 0; c < 10; c++) if (verhoeffValid([...(body + c)].map(Number))) return body + c;
    return body + '0';
  };
  add('in-aadhaar', 'national-id', () => {
    const a = aadhaar();
    return say(
      ['Aadhaar: {}', 'My Aadhaar number is {}.'],
      a.replace(/(\d{4})(\d{4})(\d{4})/, pick(['$1 $2 $3', '$1-$2-$3', '$1$2$3'])),
    );
  });
  add('never-issued-ssn', undefined, () =>
    say(
      ssnText,
      `${pick(['000', '666', String(int(900, 999))])}-${String(int(1, 99)).padStart(2, '0')}-${String(int(1, 9999)).padStart(4, '0')}`,
    ),
  );
  add('invalid-dni', undefined, () => {
    const n = digits(8);
    const good = 'TRWAGMYFPDXBNJZSQVHLCKE'[Number(n) % 23]!;
    const bad = [...'TRWAGMYFPDXBNJZSQVHLCKE'].find((l) => l !== good && rnd() < 0.3) ?? 'A';
    return `DNI ${n}${bad === good ? 'A' : bad}`;
  });
  add('invalid-aadhaar', undefined, () => {
    const a = aadhaar();
    const bad = a.slice(0, 11) + String((Number(a[11]) + int(1, 9)) % 10);
    return `Aadhaar: ${bad.replace(/(\d{4})(\d{4})(\d{4})/, '$1 $2 $3')}`;
  });
  add('isbn', undefined, () => `ISBN 978-${int(0, 9)}-${digits(3)}-${digits(5)}-${int(0, 9)}`, 10);
  add(
    'date',
    undefined,
    () =>
      say(
        ['due {}', 'Meeting on {}.', 'born {}'],
        pick([
          `2024-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
          `${int(1, 28)}/${int(1, 12)}/2023`,
          `${int(1, 28)}.${int(1, 12)}.2025`,
        ]),
      ),
    10,
  );

  // E-mail.
  const names = [
    'alice',
    'bob.smith',
    'j.doe',
    'maria_garcia',
    'chen.wei',
    'o.brien',
    'support+eu',
  ];
  const domains = [
    'example.com',
    'mail.example.org',
    'corp.example.co.uk',
    'example.de',
    'university.example.edu',
  ];
  add(
    'email',
    'email',
    () =>
      say(
        ['Contact me at {}.', 'Forward it to {} please', 'From: {}', 'email={}', '<{}>'],
        `${pick(names)}${rnd() < 0.5 ? int(1, 99) : ''}@${pick(domains)}`,
      ),
    30,
  );
  add(
    'npm-version-spec',
    undefined,
    () => `npm install react@${int(15, 19)}.${int(0, 9)}.${int(0, 9)}`,
  );
  add('at-mention', undefined, () => `Thanks @${pick(names).replace(/[.+]/g, '')} for the review!`);
  add(
    'decorator',
    undefined,
    () => `@${pick(['Component', 'Injectable', 'dataclass'])}\nclass Foo:`,
  );
  add('no-tld', undefined, () => `ssh ${pick(names)}@buildhost then run make`);

  // Phone numbers.
  add(
    'e164',
    'phone',
    () =>
      say(
        ['Call me on {}.', 'Phone: {}', 'WhatsApp {}', 'tel {}'],
        pick([
          `+1 ${int(201, 989)} ${int(201, 989)} ${digits(4)}`,
          `+44 20 ${digits(4)} ${digits(4)}`,
          `+33 6 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`,
          `+49 30 ${digits(8)}`,
          `+91 ${int(70, 99)}${digits(3)} ${digits(5)}`,
          `+${int(30, 49)}${digits(9)}`,
        ]),
      ),
    12,
  );
  add(
    'nanp',
    'phone',
    () =>
      say(
        ['Call {} after 5pm.', 'Phone: {}', 'my cell is {}'],
        pick([
          `(${int(201, 989)}) ${int(201, 989)}-${digits(4)}`,
          `${int(201, 989)}-${int(201, 989)}-${digits(4)}`,
          `${int(201, 989)}.${int(201, 989)}.${digits(4)}`,
        ]),
      ),
    10,
  );
  add(
    'national-phone',
    'phone',
    () =>
      say(
        ['Ring {} tomorrow.', 'Tel.: {}', 'Mobile {}'],
        pick([
          `07${digits(3)} ${digits(6)}`,
          `0${int(1, 9)} ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`,
          `0${int(20, 89)} ${digits(4)} ${digits(4)}`,
        ]),
      ),
    10,
  );
  add(
    'version-string',
    undefined,
    () =>
      say(
        ['Upgrade to {} first.', 'Fixed in {}.', 'running node {}'],
        pick([
          `v${int(1, 20)}.${int(0, 30)}.${int(0, 9)}`,
          `${int(1, 9)}.${int(0, 99)}.${int(0, 999)}`,
          `version ${int(1, 9)}.${int(0, 9)}.${int(0, 9)}.${int(0, 9)}`,
          `${int(10, 11)}.0.${int(19000, 22999)}.${int(1, 999)}`,
        ]),
      ),
    10,
  );
  add('price', undefined, () => `Total: $${int(1, 99)},${digits(3)}.${digits(2)} incl. tax`);
  add(
    'math',
    undefined,
    () => `Compute ${int(100, 999)} * ${int(100, 999)} - ${int(1000, 9999)} = ?`,
  );
  add(
    'time',
    undefined,
    () =>
      `The job ran from ${int(10, 23)}:${int(10, 59)}:${int(10, 59)} to ${int(10, 23)}:${int(10, 59)}.`,
  );

  // IP addresses.
  add(
    'ipv4',
    'ip-address',
    () =>
      say(
        [
          'The server at {} is down.',
          'Blocked IP {}',
          'ssh root@{}',
          'client_ip={}',
          'from {} (port 443)',
        ],
        `${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
      ),
    20,
  );
  add(
    'ipv6',
    'ip-address',
    () =>
      say(
        ['Reach it on {}.', 'addr {}', 'IPv6: {}'],
        pick([
          `2001:db8:${chars(4, HEX)}::${chars(3, HEX)}`,
          `fe80::${chars(4, HEX)}:${chars(4, HEX)}:${chars(4, HEX)}:${chars(4, HEX)}`,
          Array.from({ length: 8 }, () => chars(4, HEX)).join(':'),
        ]),
      ),
    10,
  );
  add(
    'uuid',
    undefined,
    () =>
      say(
        ['request id {}', 'token {}', 'session_token: {}', 'id={}'],
        `${chars(8, HEX)}-${chars(4, HEX)}-4${chars(3, HEX)}-a${chars(3, HEX)}-${chars(12, HEX)}`,
      ),
    10,
  );
  add(
    'mac-address',
    undefined,
    () => `MAC ${Array.from({ length: 6 }, () => chars(2, HEX.toUpperCase())).join(':')}`,
  );
  add(
    'out-of-range-ip',
    undefined,
    () => `${int(256, 999)}.${int(0, 255)}.${int(0, 255)}.${int(0, 255)} is not an address`,
  );

  // Secrets and credentials.
  const secretText = [
    'Here is my key: {}',
    'export KEY={}',
    'config: {}',
    'why does {} return 401?',
    'Use {} for the call.',
  ];
  const b64url = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  add('aws-access-key', 'secret', () => say(secretText, `AKIA${chars(16, UPPER + DIGITS)}`), 4);
  add('github-token', 'secret', () => say(secretText, `ghp_${chars(36, ALNUM)}`), 4);
  add(
    'slack-token',
    'secret',
    () => say(secretText, `xoxb-${digits(11)}-${digits(12)}-${chars(24, ALNUM)}`),
    3,
  );
  add('stripe-key', 'secret', () => say(secretText, `sk_live_${chars(24, ALNUM)}`), 3);
  add('openai-key', 'secret', () => say(secretText, `sk-proj-${chars(48, ALNUM)}`), 4);
  add(
    'anthropic-key',
    'secret',
    () => say(secretText, `sk-ant-api03-${chars(93, ALNUM + '_-')}AA`),
    3,
  );
  add('google-api-key', 'secret', () => say(secretText, `AIza${chars(35, ALNUM + '_-')}`), 3);
  add(
    'jwt',
    'secret',
    () =>
      say(
        ['Authorization: Bearer {}', 'token={}', 'the cookie holds {}'],
        `${b64url(JSON.stringify({ alg: pick(['HS256', 'RS256']), typ: 'JWT' }))}.${b64url(JSON.stringify({ sub: digits(8), exp: int(1.7e9, 1.8e9) }))}.${chars(43, ALNUM + '_-')}`,
      ),
    4,
  );
  add(
    'private-key',
    'secret',
    () => {
      const kind = pick(['RSA ', 'EC ', 'OPENSSH ', '']);
      const lines = Array.from({ length: 4 }, () => chars(64, ALNUM + '+/')).join('\n');
      return `my key:\n-----BEGIN ${kind}PRIVATE KEY-----\n${lines}\n-----END ${kind}PRIVATE KEY-----`;
    },
    4,
  );
  add(
    'key-assignment',
    'secret',
    () =>
      say(
        ['api_key = "{}"', 'client_secret: {}', 'ACCESS_TOKEN={}', 'the secret is {}'],
        chars(int(24, 40), ALNUM),
      ),
    5,
  );
  add(
    'password',
    'secret',
    () =>
      say(
        ['password: {}', 'pwd={}', 'my password is {}'],
        `${pick(['Summer', 'hunter', 'Tr0ub4dor', 'correct'])}${int(10, 9999)}!`,
      ),
    3,
  );
  add(
    'url-credentials',
    'secret',
    () => `DATABASE_URL=postgres://app:${chars(16, ALNUM)}@db.internal:5432/app`,
    3,
  );
  out.push({
    text: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
    class: 'secret',
    kind: 'public-example-key',
  });
  out.push({
    text: 'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    class: 'secret',
    kind: 'public-example-jwt',
  });
  add(
    'git-sha',
    undefined,
    () => say(['Reverted in commit {}.', 'cherry-pick {}'], chars(40, HEX)),
    10,
  );
  add(
    'token-count',
    undefined,
    () =>
      `The token limit is ${int(1, 128)}k tokens; the tokenizer counts ${int(1000, 9999)} tokens.`,
  );
  add('placeholder-secret', undefined, () =>
    pick([
      'api_key=YOUR_API_KEY',
      'password: ********',
      'Authorization: Bearer <token>',
      'secret: changeme',
      'OPENAI_API_KEY=sk-...',
    ]),
  );
  add(
    'prose-secret-word',
    undefined,
    () =>
      pick([
        'The secret to good bread is patience.',
        'Secret Santa gifts are due Friday.',
        'Keep the password policy simple.',
        'Which token should I use for streaming?',
      ]),
    10,
  );
  add(
    'sklearn-name',
    undefined,
    () => `pip install sk-learn-estimators-${pick(['extra', 'contrib'])} and scikit-learn`,
  );
  add('base64-image', undefined, () => `data:image/png;base64,${chars(60, ALNUM + '+/')}==`);
  add('hex-color', undefined, () => `color: #${chars(6, HEX)}; background: #${chars(6, HEX)};`);

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
  add('email-obfuscated', 'email', () => `${pick(names)} at example dot com`, 3);
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
  return out;
}
