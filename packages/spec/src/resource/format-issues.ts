import type { z } from 'zod';
import { didYouMean } from '../common/did-you-mean.js';
import type { SpecIssue } from './spec-error.js';
import { knownKeys } from './schema-keys.js';

type Issue = z.core.$ZodIssue;
type Path = (string | number)[];

/** Inline-credential field names that get a pointer to apiKeySecretRef instead of a guess. */
const INLINE_KEY = /^(api[-_]?key|key|token|api[-_]?token|secret|password|bearer)$/i;

/** Turns zod issues into messages that name the field and say what to write instead. */
export function formatIssues(schema: z.ZodType, issues: readonly Issue[]): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, path);
      for (const key of issue.keys)
        out.push({ path: [...path, key], message: unknownField(key, path, known), onKey: true });
    } else {
      out.push({ path, message: describeIssue(issue) });
    }
  }
  return out;
}

function unknownField(key: string, path: Path, known: string[]): string {
  if (INLINE_KEY.test(key) && known.includes('apiKeySecretRef')) {
    return `inline API keys are not allowed: store the key in a Secret and reference it with apiKeySecretRef {name, key}`;
  }
  if (key === 'true' || key === 'false') {
    return `unknown field "${key}": YAML 1.1 (and kubectl) reads an unquoted on, off, yes, no, y or n as a boolean; quote the key`;
  }
  const guess = didYouMean(key, known);
  const where = path.length === 0 ? '' : ` in ${String(path[path.length - 1])}`;
  return guess
    ? `unknown field "${key}" (did you mean "${guess}"?)`
    : `unknown field "${key}"${where}; known fields: ${known.join(', ')}`;
}

function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required field is missing';
      // Strings are not echoed here: a misplaced value may be a credential (apiKeySecretRef: sk-...).
      return `expected ${expectedName(issue.expected)}, got ${typeOf(issue.input)}`;
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      if (issue.input === undefined) {
        return `required field is missing (${values.length === 1 ? values[0] : `one of ${values.join(', ')}`})`;
      }
      if (values.length === 1) return `must be ${values[0]}, got ${describeValue(issue.input)}`;
      const guess = typeof issue.input === 'string' ? didYouMean(issue.input, values) : undefined;
      return (
        `must be one of ${values.join(', ')}; got ${describeValue(issue.input)}` +
        (guess ? ` (did you mean "${guess}"?)` : '')
      );
    }
    case 'too_small':
      return boundMessage(issue.origin, 'at least', issue.minimum, issue.inclusive ?? true, '>');
    case 'too_big':
      return boundMessage(issue.origin, 'at most', issue.maximum, issue.inclusive ?? true, '<');
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return unionMessage(issue);
    case 'invalid_key':
      return `invalid key: ${issue.issues.map((i) => i.message).join('; ')}`;
    case 'invalid_element':
      return `invalid value: ${issue.issues.map((i) => i.message).join('; ')}`;
    default:
      return issue.message;
  }
}

function expectedName(expected: string): string {
  if (expected === 'int') return 'an integer';
  if (expected === 'object' || expected === 'array' || expected === 'integer')
    return `an ${expected}`;
  return `a ${expected}`;
}

function boundMessage(
  origin: string,
  word: string,
  bound: number | bigint | Date,
  inclusive: boolean,
  op: '<' | '>',
): string {
  const n = Number(bound);
  if (origin === 'string') {
    return n === 1 && word === 'at least' ? 'must not be empty' : `must be ${word} ${n} characters`;
  }
  if (origin === 'array' || origin === 'set') {
    return `must have ${word} ${n} item${n === 1 ? '' : 's'}`;
  }
  return `must be ${op}${inclusive ? '=' : ''} ${n}`;
}

function unionMessage(issue: Extract<Issue, { code: 'invalid_union' }>): string {
  const nested = issue.errors.flat();
  const specific = nested.find((i) => i.code === 'invalid_format' || i.code === 'custom');
  if (specific) return specific.message;
  return issue.message;
}

/** Prefixes of common API keys and tokens. */
const KEY_PREFIX = /^(sk-|sk_|AIza|hf_|gsk_|xai-|ghp_|glpat-)/;

/** A short, safe rendering of an input value for messages (never the whole of a big value). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      // Short words only (enum typos); anything long or key-shaped is not repeated back.
      return /^[A-Za-z0-9][-A-Za-z0-9_.]{0,31}$/.test(value) && !KEY_PREFIX.test(value)
        ? JSON.stringify(value)
        : 'a string';
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** The JSON type of a value, for messages that must not echo the value itself. */
export function typeOf(value: unknown): string {
  if (typeof value === 'string') return 'a string';
  return describeValue(value);
}
