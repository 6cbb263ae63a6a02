import {
  ALL_VERBS,
  type JsonSchema,
  type PrinterColumn,
  type ResourceType,
  type ScaleSubresource,
} from './resource-type.js';
import type { StatusCause } from './status-error.js';
import type { KubeObject } from './types.js';

export interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: JsonSchema };
  subresources?: { status?: Record<string, never>; scale?: ScaleSubresource };
  additionalPrinterColumns?: PrinterColumn[];
}

export interface CrdSpec {
  group?: string;
  scope?: string;
  names?: {
    plural?: string;
    singular?: string;
    kind?: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions?: CrdVersion[];
}

/** Field errors of a CustomResourceDefinition, as the API server reports them. */
export function validateCrd(crd: KubeObject): StatusCause[] {
  const spec = (crd['spec'] ?? {}) as CrdSpec;
  const causes: StatusCause[] = [];
  const required = (field: string): void => {
    causes.push({ reason: 'FieldValueRequired', field, message: 'Required value' });
  };
  if (!spec.group) required('spec.group');
  if (!spec.names?.plural) required('spec.names.plural');
  if (!spec.names?.kind) required('spec.names.kind');
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    causes.push({
      reason: 'FieldValueNotSupported',
      field: 'spec.scope',
      message: `Unsupported value: ${JSON.stringify(spec.scope ?? '')}: supported values: "Cluster", "Namespaced"`,
    });
  }
  const versions = spec.versions ?? [];
  if (versions.length === 0) required('spec.versions');
  const storage = versions.filter((v) => v.storage);
  if (versions.length > 0 && storage.length !== 1) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.versions',
      message: `Invalid value: ${JSON.stringify(versions.map((v) => v.name))}: must have exactly one version marked as storage version`,
    });
  }
  versions.forEach((v, i) => {
    if (!v.name) required(`spec.versions[${i}].name`);
    if (!v.schema?.openAPIV3Schema) required(`spec.versions[${i}].schema.openAPIV3Schema`);
  });
  if (
    spec.group &&
    spec.names?.plural &&
    crd.metadata.name !== `${spec.names.plural}.${spec.group}`
  ) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: ${JSON.stringify(crd.metadata.name)}: must be spec.names.plural+"."+spec.group`,
    });
  }
  return causes;
}

/** The resource type a (valid) CRD defines. */
export function crdResourceType(crd: KubeObject): ResourceType {
  const spec = crd['spec'] as CrdSpec;
  const names = spec.names!;
  const versions = (spec.versions ?? []).filter((v) => v.served !== false);
  const storage = versions.find((v) => v.storage) ?? versions[0]!;
  const ordered = [storage, ...versions.filter((v) => v !== storage)];
  const kind = names.kind!;
  const schemas: Record<string, JsonSchema> = {};
  const printerColumns: Record<string, PrinterColumn[]> = {};
  for (const v of ordered) {
    if (v.schema?.openAPIV3Schema) schemas[v.name] = v.schema.openAPIV3Schema;
    printerColumns[v.name] = v.additionalPrinterColumns ?? [];
  }
  const status = ordered.some((v) => v.subresources?.status !== undefined);
  const scale = ordered.find((v) => v.subresources?.scale)?.subresources?.scale;
  return {
    group: spec.group!,
    versions: ordered.map((v) => v.name),
    resource: names.plural!,
    singular: names.singular ?? kind.toLowerCase(),
    kind,
    listKind: names.listKind ?? `${kind}List`,
    namespaced: spec.scope === 'Namespaced',
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    verbs: ALL_VERBS,
    subresources: { ...(status ? { status: true } : {}), ...(scale ? { scale } : {}) },
    generation: true,
    createStatus: status ? 'drop' : 'keep',
    schemas,
    printerColumns,
    crd: crd.metadata.name!,
  };
}
