import { crdResourceType, validateCrd, type CrdSpec } from './crd-resource-type.js';
import type { MemoryStore } from './memory-store.js';
import { formatTimestamp } from './object-utils.js';
import { badRequest, invalid } from './status-error.js';
import type { StorePlugin } from './store-plugin.js';
import { applyDefaults, pruneUnknown, validateSchema } from './structural-schema.js';
import type { KubeObject } from './types.js';

const CRD_GROUP = 'apiextensions.k8s.io';
const CRD_RESOURCE = 'customresourcedefinitions';

/**
 * CRD support: validates CRDs and fills their status, serves their resources once stored, and
 * prunes, defaults and validates custom objects against the CRD's structural schema.
 */
export function crdPlugin(store: MemoryStore, clock: () => Date = () => new Date()): StorePlugin {
  return {
    prepare(ctx) {
      const { type, object } = ctx;
      if (type.group === CRD_GROUP && type.resource === CRD_RESOURCE) {
        if (ctx.subresource === 'status') return object;
        const causes = validateCrd(object);
        if (causes.length > 0)
          throw invalid(CRD_GROUP, 'CustomResourceDefinition', object.metadata.name ?? '', causes);
        object['status'] = crdStatus(object, ctx.old, clock);
        return object;
      }
      const schema = type.schemas?.[ctx.ref.version] ?? type.schemas?.[type.versions[0]!];
      if (!type.crd || !schema) return object;
      const unknown = pruneUnknown(object, schema);
      if (unknown.length > 0 && ctx.fieldValidation === 'Strict') {
        const list = unknown.map((f) => `unknown field "${f}"`).join(', ');
        throw badRequest(
          `${type.kind} in version "${ctx.ref.version}" cannot be handled as a ${type.kind}: strict decoding error: ${list}`,
        );
      }
      if (unknown.length > 0 && ctx.fieldValidation === 'Warn') {
        for (const f of unknown) ctx.warnings.push(`unknown field "${f}"`);
      }
      applyDefaults(object, schema);
      const causes = validateSchema(object, schema).filter((c) => !c.field?.startsWith('metadata'));
      if (causes.length > 0)
        throw invalid(type.group, type.kind, object.metadata.name ?? '', causes);
      return object;
    },
    committed(type, event) {
      if (type.group !== CRD_GROUP || type.resource !== CRD_RESOURCE) return;
      const crd = event.object;
      const spec = crd['spec'] as CrdSpec;
      const existing = store.registry.byGroupResource(spec.group ?? '', spec.names?.plural ?? '');
      if (event.type === 'DELETED') {
        if (existing && existing.crd === crd.metadata.name) {
          store.dropAll(existing);
          store.registry.remove(existing.group, existing.resource);
        }
        return;
      }
      if (crd.metadata.deletionTimestamp) return;
      if (existing && !existing.crd) return; // never shadow a built-in resource
      store.registry.add(crdResourceType(crd));
    },
  };
}

function crdStatus(
  crd: KubeObject,
  old: KubeObject | undefined,
  clock: () => Date,
): Record<string, unknown> {
  const spec = crd['spec'] as CrdSpec;
  const names = spec.names ?? {};
  const oldConditions =
    (old?.['status'] as { conditions?: Array<{ type: string; lastTransitionTime?: string }> })
      ?.conditions ?? [];
  const since = (t: string): string =>
    oldConditions.find((c) => c.type === t)?.lastTransitionTime ?? formatTimestamp(clock());
  const storage = (spec.versions ?? []).find((v) => v.storage)?.name;
  const oldStored = (old?.['status'] as { storedVersions?: string[] })?.storedVersions ?? [];
  return {
    acceptedNames: {
      plural: names.plural,
      singular: names.singular ?? names.kind?.toLowerCase(),
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      ...(names.shortNames ? { shortNames: names.shortNames } : {}),
      ...(names.categories ? { categories: names.categories } : {}),
    },
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        reason: 'NoConflicts',
        message: 'no conflicts found',
        lastTransitionTime: since('NamesAccepted'),
      },
      {
        type: 'Established',
        status: 'True',
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
        lastTransitionTime: since('Established'),
      },
    ],
    storedVersions: [...new Set([...oldStored, ...(storage ? [storage] : [])])],
  };
}
