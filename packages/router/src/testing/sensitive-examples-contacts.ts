// E-mail addresses, phone numbers, IP addresses and secrets of the labelled set, with their
// look-alikes.
import { ALNUM, DIGITS, HEX, UPPER, type ExampleGen } from './sensitive-examples.js';

export const NAMES: readonly string[] = [
  'alice',
  'bob.smith',
  'j.doe',
  'maria_garcia',
  'chen.wei',
  'o.brien',
  'support+eu',
];

export function addContactAndSecretExamples(g: ExampleGen): void {
  const { rnd, pick, chars, digits, int, say, add, out } = g;
  const names = NAMES;
  // E-mail.
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
}
