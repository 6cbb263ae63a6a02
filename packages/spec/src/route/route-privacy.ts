import { RE2JS } from 're2js';
import { z } from 'zod';
import { dnsLabel } from '../common/dns-label.js';
import { duration } from '../common/duration.js';

/** What the built-in detectors find (docs/privacy.md says what each finds and misses). */
export const DETECTOR_CLASSES = [
  'payment-card',
  'iban',
  'national-id',
  'email',
  'phone',
  'ip-address',
  'secret',
] as const;
export type DetectorClass = (typeof DETECTOR_CLASSES)[number];

/**
 * What a Route does with a request in which a class fired: keep it on self-hosted targets (fail
 * closed, as `allowExternal: false`), redact the matches before a closed target sees it, or
 * refuse it (400). When several classes fire the strictest action wins: refuse, keep, redact.
 */
export const PRIVACY_ACTIONS = ['keep', 'redact', 'refuse'] as const;
export type PrivacyAction = (typeof PRIVACY_ACTIONS)[number];

/** Longest custom pattern, in characters. */
export const MAX_PATTERN_LENGTH = 512;

export const PrivacyDetectSchema = z.strictObject({
  class: z
    .enum(DETECTOR_CLASSES)
    .describe(
      'payment-card (Luhn-checked), iban (mod-97), national-id (US SSN, Spanish DNI/NIE, Indian Aadhaar), email, phone (E.164 and common national forms), ip-address (IPv4, IPv6), secret (private keys, JWTs, cloud and provider API keys, high-entropy tokens near key/secret/token/password).',
    ),
  action: z
    .enum(PRIVACY_ACTIONS)
    .default('keep')
    .describe(
      'keep: self-hosted targets only (fail closed); redact: replace each match with [REDACTED:<class>] before a closed target sees the request; refuse: answer 400.',
    ),
});
export type PrivacyDetect = z.output<typeof PrivacyDetectSchema>;

export const PrivacyPatternSchema = z.strictObject({
  name: dnsLabel().describe('Names the class in audit: custom:<name>.'),
  regex: z
    .string()
    .min(1)
    .max(MAX_PATTERN_LENGTH)
    .describe(
      'An RE2 regular expression (no backreferences or lookaround), matched in linear time: it cannot backtrack catastrophically. May not match the empty string.',
    ),
  action: z.enum(PRIVACY_ACTIONS).default('keep').describe('As for a detector class.'),
});
export type PrivacyPattern = z.output<typeof PrivacyPatternSchema>;

/** Sensitive-data detection for a Route: which classes to look for and what to do on a match. */
export const RoutePrivacySchema = z.strictObject({
  detect: z
    .array(PrivacyDetectSchema)
    .max(DETECTOR_CLASSES.length)
    .default([])
    .describe(
      'Detector classes to run on every message, tool argument, tool result and system prompt (or prompt/input), each with its action.',
    ),
  patterns: z
    .array(PrivacyPatternSchema)
    .max(32)
    .optional()
    .describe('Custom patterns of this Route (RE2 syntax), each with its action.'),
  scanTimeout: duration()
    .default('50ms')
    .describe(
      'Most CPU time one request is scanned for; past it the request is treated as sensitive (class scan-timeout) with the strictest action configured, redact counting as keep (fail closed).',
    ),
});
export type RoutePrivacy = z.output<typeof RoutePrivacySchema>;
export type RoutePrivacyInput = z.input<typeof RoutePrivacySchema>;

/**
 * Compiles a custom pattern with RE2 (linear-time matching); the reason it is refused otherwise.
 */
export function compileSafePattern(regex: string): RE2JS | string {
  let re: RE2JS;
  try {
    re = RE2JS.compile(regex);
  } catch (err) {
    return `not an RE2 regular expression: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (re.matcher('').find()) return 'matches the empty string (it would fire on every request)';
  return re;
}

/** Cross-field rules of `privacy`: no class or pattern twice, patterns that compile safely. */
export function checkRoutePrivacy(
  privacy: RoutePrivacy | undefined,
  issue: (path: (string | number)[], message: string) => void,
): void {
  if (!privacy) return;
  const classes = new Set<string>();
  privacy.detect.forEach((d, i) => {
    if (classes.has(d.class))
      issue(['privacy', 'detect', i, 'class'], `duplicate class ${d.class}`);
    classes.add(d.class);
  });
  const names = new Set<string>();
  privacy.patterns?.forEach((p, i) => {
    if (names.has(p.name)) issue(['privacy', 'patterns', i, 'name'], `duplicate pattern ${p.name}`);
    names.add(p.name);
    const c = compileSafePattern(p.regex);
    if (typeof c === 'string') issue(['privacy', 'patterns', i, 'regex'], c);
  });
}
