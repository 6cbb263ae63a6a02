import { z } from 'zod';

/** An OpenAPI v3 schema object as Kubernetes stores it in a CRD. */
export type JSONSchemaProps = { [key: string]: unknown };

/**
 * Converts a zod schema into a Kubernetes structural schema: z.toJSONSchema (OpenAPI 3.0 target,
 * input side so defaults are optional) followed by the rewrites Kubernetes requires.
 */
export function toStructuralSchema(schema: z.ZodType): JSONSchemaProps {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    target: 'openapi-3.0',
    unrepresentable: 'throw',
    reused: 'inline',
    cycles: 'throw',
  }) as JSONSchemaProps;
  return structural(json, '');
}

const SAFE_INT = Number.MAX_SAFE_INTEGER;

function structural(node: JSONSchemaProps, at: string): JSONSchemaProps {
  if ('$ref' in node || '$defs' in node) throw new Error(`${at || '.'}: $ref is not structural`);
  const out: JSONSchemaProps = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema') continue;
    out[key] = value;
  }
  if (out.type === 'integer') {
    if (out.maximum === SAFE_INT) delete out.maximum;
    if (out.minimum === -SAFE_INT) delete out.minimum;
  }
  if (out.format !== undefined && out.format !== 'uri') delete out.format;
  if (isRecord(out.properties)) {
    const props: Record<string, JSONSchemaProps> = {};
    for (const [name, child] of Object.entries(out.properties)) {
      props[name] = structural(child as JSONSchemaProps, `${at}.${name}`);
    }
    out.properties = props;
    // Kubernetes prunes unknown fields itself; additionalProperties may not sit beside properties.
    delete out.additionalProperties;
  } else if (isRecord(out.additionalProperties)) {
    if (Object.keys(out.additionalProperties).length === 0) {
      delete out.additionalProperties;
      out['x-kubernetes-preserve-unknown-fields'] = true;
    } else {
      out.additionalProperties = structural(out.additionalProperties, `${at}.*`);
    }
  } else if (out.type === 'object' && out.additionalProperties === false) {
    delete out.additionalProperties;
  }
  if (isRecord(out.items)) out.items = structural(out.items, `${at}[]`);
  if (Array.isArray(out.anyOf)) intOrString(out, at);
  if (out.type === undefined && !out['x-kubernetes-int-or-string']) {
    throw new Error(`${at || '.'}: no type (not structural)`);
  }
  return out;
}

/** `int | string` unions become `x-kubernetes-int-or-string`, the only union Kubernetes allows. */
function intOrString(out: JSONSchemaProps, at: string): void {
  const branches = out.anyOf as JSONSchemaProps[];
  const types = branches.map((b) => b.type).sort();
  if (types.join() !== 'integer,string')
    throw new Error(`${at}: only int-or-string unions are structural`);
  const pattern = branches.find((b) => b.type === 'string')?.pattern;
  out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  if (pattern !== undefined) out.pattern = pattern;
  out['x-kubernetes-int-or-string'] = true;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
