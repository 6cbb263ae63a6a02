import type { JsonSchema } from '../store/resource-type.js';
import type { StatusCause } from '../store/status-error.js';
import { refName, resolveSchema } from './builtin-schemas.js';

/** The API server's regular expression for resource quantities (resource.Quantity). */
export const QUANTITY_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const QUANTITY_RE = new RegExp(QUANTITY_PATTERN);
const QUANTITY_STRICT =
  /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+|n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** What decoding a built-in object against its OpenAPI definition found. */
export interface DecodeResult {
  /** Paths of fields the definition does not declare (removed from the object), as `spec.foo`. */
  unknown: string[];
  /** The first error Go's JSON decoder would have stopped at (the API server answers 400). */
  decodeError?: string;
  /** Absent required fields (the API server's validation answers 422). */
  required: StatusCause[];
}

/**
 * Decodes a built-in object as the API server's typed decoder does: removes (and lists) unknown
 * fields, reports the first type mismatch or malformed quantity in Go's words, and lists absent
 * required fields. `metadata`, `apiVersion` and `kind` are left to the ObjectMeta checks.
 */
export function decodeBuiltin(
  object: Record<string, unknown>,
  definition: JsonSchema,
): DecodeResult {
  const result: DecodeResult = { unknown: [], required: [] };
  const root = resolveSchema(definition);
  for (const [key, value] of Object.entries(object)) {
    if (key === 'metadata' || key === 'apiVersion' || key === 'kind') continue;
    const prop = root?.properties?.[key];
    if (!prop) {
      result.unknown.push(key);
      delete object[key];
      continue;
    }
    const w: Walk = { out: result, segs: [key], struct: definition };
    walk(value, prop, w);
  }
  return result;
}

/** Walk state: the path so far as segments (`spec`, `.replicas`, `[0]`, `[cpu]`), built into
 *  strings only for a finding, and the schema of the innermost object (its Go struct). */
interface Walk {
  out: DecodeResult;
  segs: string[];
  struct: JsonSchema;
}

function pathOf(w: Walk): string {
  return w.segs.join('');
}

/** Go's field path: the keys without indices (`spec.template.spec.containers.image`). */
function goPathOf(w: Walk): string {
  return w.segs.filter((s) => !s.startsWith('[')).join('');
}

function goType(schema: JsonSchema | undefined): string {
  const name = refName(schema);
  const s = resolveSchema(schema);
  if (s?.format === 'quantity') return 'resource.Quantity';
  if (s?.['x-kubernetes-int-or-string']) return 'intstr.IntOrString';
  if (name && s?.type === 'object') return `v1.${name}`;
  switch (s?.type) {
    case 'integer':
      return 'int32';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'array':
      return `[]${goType(s.items)}`;
    case 'object':
      return s.additionalProperties && typeof s.additionalProperties === 'object'
        ? `map[string]${goType(s.additionalProperties)}`
        : 'map[string]interface {}';
    default:
      return 'interface {}';
  }
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'number' : `number ${value}`;
  return typeof value;
}

function walk(value: unknown, schemaRef: JsonSchema, w: Walk): void {
  const out = w.out;
  if (out.decodeError || value === null || value === undefined) return;
  const schema = resolveSchema(schemaRef);
  if (!schema) return;
  const mismatch = (): void => {
    out.decodeError = `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${refName(w.struct) ?? 'Object'}.${goPathOf(w)} of type ${goType(schemaRef)}`;
  };
  if (schema.format === 'quantity') {
    if (typeof value === 'number') return;
    if (typeof value !== 'string') return mismatch();
    if (!QUANTITY_RE.test(value) || !QUANTITY_STRICT.test(value))
      out.decodeError = `quantities must match the regular expression '${QUANTITY_PATTERN}'`;
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) return;
    return mismatch();
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return;
  switch (schema.type) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) mismatch();
      return;
    case 'boolean':
      if (typeof value !== 'boolean') mismatch();
      return;
    case 'string':
      if (typeof value !== 'string') mismatch();
      return;
    case 'array': {
      if (!Array.isArray(value)) return mismatch();
      const items = schema.items ?? {};
      for (let i = 0; i < value.length; i++) {
        w.segs.push(`[${i}]`);
        walk(value[i], items, w);
        w.segs.pop();
      }
      return;
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return mismatch();
      const obj = value as Record<string, unknown>;
      if (schema.properties) {
        const outer = w.struct;
        if (refName(schemaRef)) w.struct = schemaRef;
        for (const k of Object.keys(obj)) {
          const prop = schema.properties[k];
          if (!prop) {
            out.unknown.push(`${pathOf(w)}.${k}`);
            delete obj[k];
            continue;
          }
          w.segs.push(`.${k}`);
          walk(obj[k], prop, w);
          w.segs.pop();
        }
        w.struct = outer;
        for (const req of schema.required ?? []) {
          if (obj[req] !== undefined) continue;
          if (resolveSchema(schema.properties[req])?.type === 'array') continue;
          out.required.push({
            reason: 'FieldValueRequired',
            field: `${pathOf(w)}.${req}`,
            message: 'Required value',
          });
        }
      } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        const items = schema.additionalProperties;
        for (const k of Object.keys(obj)) {
          w.segs.push(`[${k}]`);
          walk(obj[k], items, w);
          w.segs.pop();
        }
      }
      return;
    }
    default:
  }
}
