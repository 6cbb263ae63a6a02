import type { JsonSchema, ResourceRegistry } from '../store/index.js';
import { builtinSchemas } from './openapi-builtin.js';
import { schemaName } from './openapi-v3.js';

/**
 * GET /openapi/v2: one Swagger 2.0 document with the definitions of every served kind (Kubernetes'
 * own for built-ins, the CRD's schema for custom resources). Paths are left out: clients use the
 * definitions (kubectl explain with OpenAPI v2, validators); the per-group v3 documents have both.
 */
export function openApiV2Document(registry: ResourceRegistry): Record<string, unknown> {
  const definitions: Record<string, JsonSchema> = {};
  for (const g of registry.groups()) {
    for (const version of g.versions) {
      for (const type of registry.inGroupVersion(g.group, version)) {
        const builtin = builtinSchemas(type, version, 'v2');
        if (builtin) {
          Object.assign(definitions, builtin.schemas);
          continue;
        }
        const gvk = { group: type.group, version, kind: type.kind };
        definitions[schemaName(type, version)] = {
          ...(type.schemas?.[version] ?? {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
          }),
          'x-kubernetes-group-version-kind': [gvk],
        };
      }
    }
  }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: {},
    definitions,
  };
}
