import { createHash } from 'node:crypto';
import type { JsonSchema, ResourceRegistry, ResourceType } from '../store/index.js';
import { builtinSchemas } from './openapi-builtin.js';

const PATCH_PARAMETERS = [
  { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
  { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
  {
    name: 'fieldValidation',
    in: 'query',
    description:
      'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields: Ignore, Warn or Strict.',
    schema: { type: 'string', uniqueItems: true },
  },
  { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
];

const PATCH_CONTENT_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];

/** `io.k8s.api.apps.v1.Deployment` for built-ins, reversed group for CRDs. */
export function schemaName(type: ResourceType, version: string): string {
  if (!type.crd) {
    const builtin = builtinSchemas(type, version, 'v3');
    if (builtin) return builtin.name;
    const g = type.group === '' ? 'core' : type.group.replace(/\.k8s\.io$/, '').replace(/\./g, '');
    return type.group === 'apiextensions.k8s.io'
      ? `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}.${type.kind}`
      : `io.k8s.api.${g}.${version}.${type.kind}`;
  }
  return `${type.group.split('.').reverse().join('.')}.${version}.${type.kind}`;
}

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** The OpenAPI v3 document for one group-version, or undefined when it is not served. */
export function openApiV3Document(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const type of types) {
    const gvk = { group: type.group, version, kind: type.kind };
    const ref = { $ref: `#/components/schemas/${schemaName(type, version)}` };
    const base = `/${gvPath(group, version)}${type.namespaced ? '/namespaces/{namespace}' : ''}/${type.resource}`;
    const op = (action: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      operationId: `${action}${type.kind}`,
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      ...extra,
    });
    paths[base] = {
      get: op('list'),
      post: op('post', { requestBody: { content: { 'application/json': { schema: ref } } } }),
    };
    paths[`${base}/{name}`] = {
      get: op('get'),
      put: op('put', { requestBody: { content: { 'application/json': { schema: ref } } } }),
      delete: op('delete'),
      patch: op('patch', {
        parameters: PATCH_PARAMETERS,
        requestBody: {
          content: Object.fromEntries(
            PATCH_CONTENT_TYPES.map((t) => [t, { schema: { type: 'object' } }]),
          ),
          required: true,
        },
      }),
      parameters: [
        { name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } },
        ...(type.namespaced
          ? [
              {
                name: 'namespace',
                in: 'path',
                required: true,
                schema: { type: 'string', uniqueItems: true },
              },
            ]
          : []),
      ],
    };
    const builtin = builtinSchemas(type, version, 'v3');
    if (builtin) {
      Object.assign(schemas, builtin.schemas);
      continue;
    }
    const schema: JsonSchema = type.schemas?.[version] ?? {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
      },
      'x-kubernetes-preserve-unknown-fields': true,
    };
    schemas[schemaName(type, version)] = { ...schema, 'x-kubernetes-group-version-kind': [gvk] };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas },
  };
}

const indexCache = new WeakMap<ResourceRegistry, ReturnType<typeof buildIndex>>();

/** GET /openapi/v3: one entry per served group-version, with a content hash for caching. */
export function openApiV3Index(registry: ResourceRegistry): ReturnType<typeof buildIndex> {
  let index = indexCache.get(registry);
  if (!index) {
    index = buildIndex(registry);
    indexCache.set(registry, index);
    const stop = registry.onChange(() => {
      indexCache.delete(registry);
      stop();
    });
  }
  return index;
}

function buildIndex(registry: ResourceRegistry): {
  paths: Record<string, { serverRelativeURL: string }>;
} {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const g of registry.groups()) {
    for (const v of g.versions) {
      const doc = openApiV3Document(registry, g.group, v);
      const hash = createHash('sha512')
        .update(JSON.stringify(doc))
        .digest('hex')
        .slice(0, 64)
        .toUpperCase();
      const key = gvPath(g.group, v);
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
    }
  }
  return { paths };
}
