// Cards, IBANs and national identifiers of the labelled set, with their look-alikes.
import { verhoeffValid } from '../privacy/detect/national-id.js';
import { UPPER, DIGITS, type ExampleGen } from './sensitive-examples.js';

export function addNumberExamples(g: ExampleGen): void {
  const { rnd, pick, chars, digits, int, say, add, out, withLuhn, iban } = g;
  // Payment cards.
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
}
