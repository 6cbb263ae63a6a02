import { cloneJson } from './object-utils.js';
import type { JsonSchema } from './resource-type.js';
import type { StatusCause } from './status-error.js';

const ROOT_META = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * Removes fields the schema does not declare (unless x-kubernetes-preserve-unknown-fields) and
 * returns their paths, as the API server prunes custom resources.
 */
export function pruneUnknown(
  value: unknown,
  schema: JsonSchema | undefined,
  path = '',
  root = true,
): string[] {
  const unknown: string[] = [];
  walkPrune(value, schema, path, root, unknown);
  return unknown;
}

function walkPrune(
  value: unknown,
  schema: JsonSchema | undefined,
  path: string,
  root: boolean,
  out: string[],
): void {
  if (!schema || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      walkPrune(value[i], schema.items, `${path}[${i}]`, false, out);
    return;
  }
  const obj = value as Record<string, unknown>;
  const embedded = root || schema['x-kubernetes-embedded-resource'] === true;
  if (schema.properties) {
    for (const key of Object.keys(obj)) {
      const child = join(path, key);
      const prop = schema.properties[key];
      if (embedded && ROOT_META.has(key)) continue;
      if (prop) walkPrune(obj[key], prop, child, false, out);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        walkPrune(obj[key], schema.additionalProperties, child, false, out);
      } else if (!schema['x-kubernetes-preserve-unknown-fields']) {
        out.push(child);
        delete obj[key];
      }
    }
    return;
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    for (const key of Object.keys(obj))
      walkPrune(obj[key], schema.additionalProperties, join(path, key), false, out);
    return;
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] || schema.additionalProperties === true)
    return;
  if (schema.type === 'object' || schema.type === undefined) {
    for (const key of Object.keys(obj)) {
      if (embedded && ROOT_META.has(key)) continue;
      out.push(join(path, key));
      delete obj[key];
    }
  }
}

/** Fills in `default` values for absent properties, recursively, as the API server does. */
export function applyDefaults(value: unknown, schema: JsonSchema | undefined): void {
  if (!schema || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) applyDefaults(item, schema.items);
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (obj[key] === undefined && prop.default !== undefined) obj[key] = cloneJson(prop.default);
    applyDefaults(obj[key], prop);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    for (const key of Object.keys(obj)) {
      if (!schema.properties?.[key]) applyDefaults(obj[key], schema.additionalProperties);
    }
  }
}

/** Validates a value against a structural schema; returns causes as the API server words them. */
export function validateSchema(
  value: unknown,
  schema: JsonSchema | undefined,
  path = '',
): StatusCause[] {
  const out: StatusCause[] = [];
  walkValidate(value, schema, path, out);
  return out;
}

function walkValidate(
  value: unknown,
  schema: JsonSchema | undefined,
  path: string,
  out: StatusCause[],
): void {
  if (!schema) return;
  const field = path || '<root>';
  const shown = JSON.stringify(value);
  const invalid = (message: string): void => {
    out.push({
      reason: 'FieldValueInvalid',
      field,
      message: `Invalid value: ${shown}: ${message}`,
    });
  };
  if (value === null) {
    if (!schema.nullable && schema.type)
      invalid(`${field} in body must be of type ${schema.type}: "null"`);
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
      invalid(`${field} in body must be of type integer,string: "${typeName(value)}"`);
    }
    return;
  }
  if (schema.type && !typeMatches(schema.type, value)) {
    out.push({
      reason: 'FieldValueTypeInvalid',
      field,
      message: `Invalid value: "${typeName(value)}": ${field} in body must be of type ${schema.type}: "${typeName(value)}"`,
    });
    return;
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === shown)) {
    out.push({
      reason: 'FieldValueNotSupported',
      field,
      message: `Unsupported value: ${shown}: supported values: ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`,
    });
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      invalid(`${field} in body should be greater than or equal to ${schema.minimum}`);
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      invalid(`${field} in body should be less than or equal to ${schema.maximum}`);
    }
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      invalid(`${field} in body should be at least ${schema.minLength} chars long`);
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      out.push({
        reason: 'FieldValueTooLong',
        field,
        message: `Too long: may not be longer than ${schema.maxLength}`,
      });
    }
    if (schema.pattern !== undefined && !safeRegExp(schema.pattern).test(value)) {
      invalid(`${field} in body should match '${schema.pattern}'`);
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      invalid(`${field} in body should have at least ${schema.minItems} items`);
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      out.push({
        reason: 'FieldValueTooMany',
        field,
        message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`,
      });
    }
    value.forEach((item, i) => walkValidate(item, schema.items, `${path}[${i}]`, out));
    return;
  }
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const req of schema.required ?? []) {
      if (obj[req] === undefined)
        out.push({
          reason: 'FieldValueRequired',
          field: join(path, req),
          message: 'Required value',
        });
    }
    for (const [key, child] of Object.entries(obj)) {
      const prop = schema.properties?.[key];
      if (prop) walkValidate(child, prop, join(path, key), out);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        walkValidate(child, schema.additionalProperties, join(path, key), out);
      }
    }
  }
  for (const sub of schema.allOf ?? []) walkValidate(value, sub, path, out);
  if (schema.anyOf && !schema.anyOf.some((s) => validateSchema(value, s, path).length === 0)) {
    invalid(`${field} in body must match at least one schema in anyOf`);
  }
  if (
    schema.oneOf &&
    schema.oneOf.filter((s) => validateSchema(value, s, path).length === 0).length !== 1
  ) {
    invalid(`${field} in body must match exactly one schema in oneOf`);
  }
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const regexCache = new Map<string, RegExp>();
function safeRegExp(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = /[\s\S]*/;
    }
    regexCache.set(pattern, re);
  }
  return re;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
