import { badRequest } from './status-error.js';
import type { StorePlugin } from './store-plugin.js';
import type { KubeObject } from './types.js';

const OBJECT_META = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

const SPEC_STATUS = ['spec', 'status'];

/** Top-level fields of the built-in kinds (besides apiVersion, kind and metadata). */
const BUILTIN_FIELDS: Record<string, string[]> = {
  Namespace: SPEC_STATUS,
  Node: SPEC_STATUS,
  Pod: SPEC_STATUS,
  Service: SPEC_STATUS,
  Deployment: SPEC_STATUS,
  ReplicaSet: SPEC_STATUS,
  Lease: ['spec'],
  CustomResourceDefinition: SPEC_STATUS,
  Endpoints: ['subsets'],
  EndpointSlice: ['addressType', 'endpoints', 'ports'],
  ConfigMap: ['data', 'binaryData', 'immutable'],
  Secret: ['data', 'stringData', 'type', 'immutable'],
  ServiceAccount: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  Event: [
    'involvedObject',
    'reason',
    'message',
    'source',
    'firstTimestamp',
    'lastTimestamp',
    'count',
    'type',
    'eventTime',
    'series',
    'action',
    'related',
    'reportingComponent',
    'reportingInstance',
    'regarding',
    'note',
    'reportingController',
    'deprecatedSource',
    'deprecatedFirstTimestamp',
    'deprecatedLastTimestamp',
    'deprecatedCount',
  ],
};

/** Removes unknown metadata fields (and unknown top-level fields of built-in kinds); returns their paths. */
export function pruneUnknownKnownFields(object: KubeObject, builtin: boolean): string[] {
  const unknown: string[] = [];
  for (const key of Object.keys(object.metadata ?? {})) {
    if (!OBJECT_META.has(key)) {
      unknown.push(`metadata.${key}`);
      delete (object.metadata as Record<string, unknown>)[key];
    }
  }
  const allowed = builtin ? BUILTIN_FIELDS[object.kind] : undefined;
  if (allowed) {
    for (const key of Object.keys(object)) {
      if (key === 'apiVersion' || key === 'kind' || key === 'metadata' || allowed.includes(key))
        continue;
      unknown.push(key);
      delete object[key];
    }
  }
  return unknown;
}

/**
 * Unknown ObjectMeta fields (any kind) and unknown top-level fields (built-in kinds) are dropped,
 * reported as warnings with fieldValidation=Warn, and rejected with fieldValidation=Strict.
 */
export function knownFieldsPlugin(): StorePlugin {
  return {
    prepare(ctx) {
      const unknown = pruneUnknownKnownFields(ctx.object, !ctx.type.crd);
      if (unknown.length === 0) return ctx.object;
      if (ctx.fieldValidation === 'Strict') {
        const list = unknown.map((f) => `unknown field "${f}"`).join(', ');
        const v = ctx.ref.version;
        throw badRequest(
          `${ctx.type.kind} in version "${v}" cannot be handled as a ${ctx.type.kind}: strict decoding error: ${list}`,
        );
      }
      if (ctx.fieldValidation === 'Warn')
        for (const f of unknown) ctx.warnings.push(`unknown field "${f}"`);
      return ctx.object;
    },
  };
}
