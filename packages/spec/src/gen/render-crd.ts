import { GROUP, VERSION } from '../api-version.js';
import type { CrdDefinition } from './crd-definitions.js';
import { toStructuralSchema, type JSONSchemaProps } from './to-structural-schema.js';

/** The apiextensions.k8s.io/v1 CustomResourceDefinition of one kind. */
export function renderCrd(def: CrdDefinition): Record<string, unknown> {
  const schema = toStructuralSchema(def.schema);
  const props = schema.properties as Record<string, JSONSchemaProps>;
  // Kubernetes owns apiVersion, kind and metadata; the schema may only say they are there.
  props.apiVersion = { type: 'string', description: props.apiVersion?.description };
  props.kind = { type: 'string', description: props.kind?.description };
  props.metadata = { type: 'object' };
  schema.required = ['spec'];
  markConditionLists(props.status);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${def.plural}.${GROUP}`,
      labels: { 'app.kubernetes.io/name': 'bascule', 'app.kubernetes.io/part-of': 'bascule' },
    },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        shortNames: def.shortNames,
        categories: ['bascule'],
      },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: schema },
          subresources: def.scale ? { status: {}, scale: def.scale } : { status: {} },
          additionalPrinterColumns: def.printerColumns,
        },
      ],
    },
  };
}

/** status.conditions is a list keyed by type, so server-side apply merges per condition. */
function markConditionLists(status: JSONSchemaProps | undefined): void {
  const props = status?.properties as Record<string, JSONSchemaProps> | undefined;
  const conditions = props?.conditions;
  if (!conditions) return;
  conditions['x-kubernetes-list-type'] = 'map';
  conditions['x-kubernetes-list-map-keys'] = ['type'];
  const items = conditions.items as JSONSchemaProps;
  const required = new Set([...((items.required as string[] | undefined) ?? []), 'type']);
  items.required = [...required];
}
