import type { JsonSchema, ResourceType } from '../store/index.js';
import { builtinDefinitions, definitionFor } from '../validation/index.js';

const closures = new Map<string, string[]>();

/** Names of the definition and every definition it references, transitively. */
function closure(root: string): string[] {
  let names = closures.get(root);
  if (names) return names;
  const defs = builtinDefinitions().definitions;
  const seen = new Set<string>();
  const queue = [root];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name) || !defs[name]) continue;
    seen.add(name);
    for (const m of JSON.stringify(defs[name]).matchAll(/"#\/definitions\/([^"]+)"/g))
      queue.push(m[1]!);
  }
  names = [...seen].sort();
  closures.set(root, names);
  return names;
}

/**
 * Kubernetes' OpenAPI definitions of a built-in kind and everything it references, with `$ref`s
 * pointing into `#/components/schemas/` (v3) or `#/definitions/` (v2); undefined for other kinds.
 */
export function builtinSchemas(
  type: ResourceType,
  version: string,
  flavour: 'v2' | 'v3',
): { name: string; schemas: Record<string, JsonSchema> } | undefined {
  if (type.crd) return undefined;
  const name = definitionFor(type.group, version, type.kind);
  if (!name) return undefined;
  const defs = builtinDefinitions().definitions;
  const schemas: Record<string, JsonSchema> = {};
  for (const n of closure(name)) {
    const text = JSON.stringify(defs[n]);
    schemas[n] = JSON.parse(
      flavour === 'v3' ? text.replaceAll('"#/definitions/', '"#/components/schemas/') : text,
    ) as JsonSchema;
  }
  return { name, schemas };
}
