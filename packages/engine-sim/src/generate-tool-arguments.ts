// Arguments for a simulated tool call: a JSON value that satisfies the tool's JSON Schema
// (OpenAI `parameters`, Anthropic `input_schema`, Gemini `parameters`/`parametersJsonSchema`,
// whose OpenAPI types are upper-case). Supported: type (also as a list), properties, required,
// items, enum, const, default, minimum/maximum, minLength/maxLength, minItems, format
// (date, date-time, email, uri, uuid), anyOf/oneOf/allOf (first branch), local $ref into
// $defs/definitions, nullable. Optional properties are filled too, so clients see every field.
import { randomId, randomInt, type Rng } from './prng.js';

type Schema = Record<string, unknown>;

const SAMPLE_WORDS = ['alpha', 'berlin', 'paris', 'tokyo', 'blue', 'delta', 'sample', 'report'];
const MAX_DEPTH = 8;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveRef(ref: string, root: Schema): Schema | undefined {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match) return undefined;
  const defs = root[match[1] ?? ''];
  const target = isSchema(defs) ? defs[match[2] ?? ''] : undefined;
  return isSchema(target) ? target : undefined;
}

function pickType(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type.toLowerCase();
  if (Array.isArray(type)) {
    const first: unknown = (type as unknown[]).find(
      (t) => typeof t === 'string' && t.toLowerCase() !== 'null',
    );
    return typeof first === 'string' ? first.toLowerCase() : 'null';
  }
  if (isSchema(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function numberIn(schema: Schema, rng: Rng, integer: boolean): number {
  const min =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : typeof schema.exclusiveMinimum === 'number'
        ? schema.exclusiveMinimum + 1
        : 0;
  const max =
    typeof schema.maximum === 'number'
      ? schema.maximum
      : typeof schema.exclusiveMaximum === 'number'
        ? schema.exclusiveMaximum - 1
        : Math.max(min, 100);
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  if (integer) return randomInt(rng, Math.ceil(lo), Math.max(Math.ceil(lo), Math.floor(hi)));
  return Math.round((lo + rng() * (hi - lo)) * 100) / 100;
}

function stringFor(schema: Schema, rng: Rng): string {
  switch (schema.format) {
    case 'date':
      return `2026-0${randomInt(rng, 1, 9)}-1${randomInt(rng, 0, 9)}`;
    case 'date-time':
      return `2026-0${randomInt(rng, 1, 9)}-1${randomInt(rng, 0, 9)}T12:00:00Z`;
    case 'email':
      return `user${randomInt(rng, 1, 99)}@example.com`;
    case 'uri':
    case 'url':
      return `https://example.com/${SAMPLE_WORDS[randomInt(rng, 0, SAMPLE_WORDS.length - 1)] ?? 'x'}`;
    case 'uuid':
      return '00000000-0000-4000-8000-' + randomId(rng, '', 12, '0123456789abcdef');
    default:
      break;
  }
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  let value = SAMPLE_WORDS[randomInt(rng, 0, SAMPLE_WORDS.length - 1)] ?? 'x';
  while (value.length < minLength) value += 'x';
  return value.slice(0, Math.max(minLength, Math.min(value.length, maxLength)));
}

function generate(schema: Schema, root: Schema, rng: Rng, depth: number): unknown {
  if (depth > MAX_DEPTH) return null;
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, root);
    return target ? generate(target, root, rng, depth + 1) : {};
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum[randomInt(rng, 0, schema.enum.length - 1)];
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) {
      const list = branches as unknown[];
      const branch = list.find((b) => isSchema(b) && pickType(b) !== 'null') ?? list[0];
      if (isSchema(branch)) return generate(branch, root, rng, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Schema = {};
    for (const part of schema.allOf) if (isSchema(part)) Object.assign(merged, part);
    return generate(merged, root, rng, depth + 1);
  }
  switch (pickType(schema)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = isSchema(schema.properties) ? schema.properties : {};
      for (const [key, sub] of Object.entries(properties)) {
        if (isSchema(sub)) out[key] = generate(sub, root, rng, depth + 1);
      }
      return out;
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? Math.max(1, schema.minItems) : 1;
      const items = isSchema(schema.items) ? schema.items : {};
      return Array.from({ length: count }, () => generate(items, root, rng, depth + 1));
    }
    case 'string':
      return stringFor(schema, rng);
    case 'integer':
      return numberIn(schema, rng, true);
    case 'number':
      return numberIn(schema, rng, false);
    case 'boolean':
      return rng() < 0.5;
    case 'null':
      return null;
    default:
      return 'default' in schema ? schema.default : stringFor(schema, rng);
  }
}

/** A value matching `schema`; an absent or empty schema gives `{}`. */
export function generateToolArguments(schema: unknown, rng: Rng): Record<string, unknown> {
  if (!isSchema(schema)) return {};
  const value = generate(schema, schema, rng, 0);
  return isSchema(value) ? value : {};
}
