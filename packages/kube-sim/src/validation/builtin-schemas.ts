import { readFileSync } from 'node:fs';
import type { JsonSchema } from '../store/resource-type.js';

/**
 * Kubernetes' OpenAPI definitions of the built-in kinds kube-sim serves, with Kubernetes' field
 * descriptions, generated from the `kubernetes-models` package by scripts/gen-k8s-schemas.mjs.
 */
export interface BuiltinDefinitions {
  source: string;
  definitions: Record<string, JsonSchema>;
}

// src/kube/validation/x.ts and dist/kube/validation/x.js are both three levels below the package.
const FILE = new URL('../../schemas/k8s-builtin-definitions.json', import.meta.url);

let loaded: BuiltinDefinitions | undefined;
let byGvk: Map<string, string> | undefined;

export function builtinDefinitions(): BuiltinDefinitions {
  loaded ??= JSON.parse(readFileSync(FILE, 'utf8')) as BuiltinDefinitions;
  return loaded;
}

/** The definition name (`io.k8s.api.apps.v1.Deployment`) of a built-in kind, if it has one. */
export function definitionFor(group: string, version: string, kind: string): string | undefined {
  if (!byGvk) {
    byGvk = new Map();
    for (const [name, schema] of Object.entries(builtinDefinitions().definitions)) {
      const gvks = schema['x-kubernetes-group-version-kind'] as
        Array<{ group: string; version: string; kind: string }> | undefined;
      for (const g of gvks ?? []) byGvk.set(`${g.group}/${g.version}/${g.kind}`, name);
    }
  }
  return byGvk.get(`${group}/${version}/${kind}`);
}

const resolved = new WeakMap<JsonSchema, JsonSchema | undefined>();
const names = new WeakMap<JsonSchema, string | undefined>();

function refOf(s: JsonSchema): string | undefined {
  return (
    (s['$ref'] as string | undefined) ??
    (s.allOf?.length === 1 ? (s.allOf[0]!['$ref'] as string | undefined) : undefined)
  );
}

/** Follows `$ref` and single-element `allOf: [{$ref}]` to the referenced definition. */
export function resolveSchema(schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema) return undefined;
  if (resolved.has(schema)) return resolved.get(schema);
  let s: JsonSchema | undefined = schema;
  for (let i = 0; s && i < 4; i++) {
    const ref = refOf(s);
    if (!ref) break;
    s = builtinDefinitions().definitions[ref.replace('#/definitions/', '')];
  }
  resolved.set(schema, s);
  return s;
}

/** The short name of a referenced definition (`DeploymentSpec`), for Go-style error messages. */
export function refName(schema: JsonSchema | undefined): string | undefined {
  if (!schema) return undefined;
  if (names.has(schema)) return names.get(schema);
  const name = refOf(schema)?.split('.').pop();
  names.set(schema, name);
  return name;
}
