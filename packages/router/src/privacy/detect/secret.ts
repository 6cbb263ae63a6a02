import { findAll, type Detector, type Finding } from './finding.js';
import { shannonEntropy } from './shannon-entropy.js';

/** Provider and cloud credential formats, each a fixed prefix and a bounded body. */
const KEY_FORMATS: readonly { kind: string; re: RegExp; mixed?: boolean }[] = [
  { kind: 'aws-access-key', re: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
  { kind: 'github-token', re: /\bgh[pousr]_[A-Za-z0-9]{36,251}\b/g },
  { kind: 'github-token', re: /\bgithub_pat_[A-Za-z0-9_]{60,255}\b/g },
  { kind: 'gitlab-token', re: /\bglpat-[A-Za-z0-9_-]{20,50}\b/g },
  { kind: 'slack-token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,250}\b/g },
  { kind: 'stripe-key', re: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{24,247}\b/g },
  { kind: 'anthropic-key', re: /\bsk-ant-[a-z]{3,8}\d{2}-[A-Za-z0-9_-]{32,200}/g },
  {
    kind: 'openai-key',
    re: /\bsk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,200}/g,
    mixed: true,
  },
  { kind: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { kind: 'huggingface-token', re: /\bhf_[A-Za-z0-9]{34,40}\b/g, mixed: true },
  { kind: 'npm-token', re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { kind: 'azure-storage-key', re: /AccountKey=[A-Za-z0-9+/]{86}==/g },
  { kind: 'sendgrid-key', re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g },
];

const PRIVATE_KEY_BEGIN = /-----BEGIN ((?:[A-Z0-9]{1,10} ){0,3})PRIVATE KEY( BLOCK)?-----/g;
/** Longest private-key block looked at for its END line (an RSA-4096 PEM is about 3.3 KB). */
const MAX_KEY_BLOCK = 8192;
const JWT = /\beyJ[A-Za-z0-9_-]{5,4096}\.eyJ[A-Za-z0-9_-]{5,8192}\.[A-Za-z0-9_-]{0,1024}/g;
/** scheme://user:password@host */
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/]{1,64}:([^\s:@/]{3,128})@/g;
/** A key word, a short gap (": ", " = '", " is "), then a token-like value. */
const NEAR_KEYWORD =
  /(?:api[_-]?key|apikey|secret|token|passw(?:or)?d|passwd|pwd|credential|bearer|access[_-]?key|auth[_-]?key|private[_-]?key)\w{0,20}["']?\s{0,3}(?::=|=>|[:=]|\s(?:is|was)\s|\s)\s{0,3}["'`]?([A-Za-z0-9+/_.~=-]{8,512})/gi;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACEHOLDER =
  /^(?:x+|\*+|\.+|your[_-].*|changeme|example.*|redacted.*|none|null|true|false|undefined)$/i;

const span = (m: RegExpExecArray, kind: string): Finding => ({
  start: m.index,
  end: m.index + m[0].length,
  kind,
});

/** Upper and lower case letters and a digit: a random key body, not a word. */
function looksRandom(s: string): boolean {
  return /[a-z]/.test(s) && /[A-Z]/.test(s) && /\d/.test(s);
}

/** A JWT's header decodes to JSON naming an algorithm or a type. */
function jwtHeaderValid(token: string): boolean {
  try {
    const h = token.slice(0, token.indexOf('.')).replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(atob(h + '='.repeat((4 - (h.length % 4)) % 4))) as unknown;
    return typeof json === 'object' && json !== null && ('alg' in json || 'typ' in json);
  } catch {
    return false;
  }
}

/**
 * The value after a key word is a secret when it is long and random enough: at least 16
 * characters with 3.5 bits of entropy per character and letters and digits mixed, not a UUID;
 * after password-like words any 8+ character value that is not a placeholder.
 */
function nearKeyword(m: RegExpExecArray): Finding | undefined {
  const value = m[1]!.replace(/[.,;]+$/, '');
  if (PLACEHOLDER.test(value) || UUID.test(value)) return undefined;
  const start = m.index + m[0].length - m[1]!.length;
  const password = /^(?:passw|pwd)/i.test(m[0]) && /[:=]|\sis\s/i.test(m[0]);
  if (password && value.length >= 8 && /\d|[^A-Za-z]/.test(value))
    return { start, end: start + value.length, kind: 'password' };
  if (value.length < 16 || !/\d/.test(value) || !/[A-Za-z]/.test(value)) return undefined;
  if (shannonEntropy(value) < 3.5) return undefined;
  return { start, end: start + value.length, kind: 'high-entropy-token' };
}

/** Secrets and credentials: private keys, JWTs, provider key formats, tokens near key words. */
export const secretDetector: Detector = {
  class: 'secret',
  find(text: string): Finding[] {
    const out: Finding[] = [];
    for (const f of KEY_FORMATS)
      out.push(
        ...findAll(text, f.re, (m) =>
          f.mixed && !looksRandom(m[0]) ? undefined : span(m, f.kind),
        ),
      );
    if (text.includes('-----BEGIN '))
      out.push(
        ...findAll(text, PRIVATE_KEY_BEGIN, (m) => {
          // The block to its END line; without one nearby, the next 8 KB (what redaction removes).
          const from = m.index + m[0].length;
          const endLine = `-----END ${m[1]}PRIVATE KEY${m[2] ?? ''}-----`;
          const at = text.slice(from, from + MAX_KEY_BLOCK).indexOf(endLine);
          return {
            start: m.index,
            end: at < 0 ? Math.min(text.length, from + MAX_KEY_BLOCK) : from + at + endLine.length,
            kind: 'private-key',
          };
        }),
      );
    if (text.includes('eyJ'))
      out.push(...findAll(text, JWT, (m) => (jwtHeaderValid(m[0]) ? span(m, 'jwt') : undefined)));
    if (text.includes('://'))
      out.push(
        ...findAll(text, URL_CREDENTIALS, (m) => {
          const start = m.index + m[0].length - 1 - m[1]!.length;
          return PLACEHOLDER.test(m[1]!)
            ? undefined
            : { start, end: start + m[1]!.length, kind: 'url-password' };
        }),
      );
    out.push(...findAll(text, NEAR_KEYWORD, nearKeyword));
    return out;
  },
};
