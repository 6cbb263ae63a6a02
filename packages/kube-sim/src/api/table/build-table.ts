import type { KubeObject, PrinterColumn, ResourceType } from '../../store/index.js';
import {
  BUILTIN_PRINTERS,
  DEFAULT_PRINTER,
  type ColumnDefinition,
  type TablePrinter,
} from './builtin-columns.js';
import { WORKLOAD_PRINTERS } from './workload-columns.js';
import { age } from './human-duration.js';
import { evalJsonPath } from './json-path.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function text(x: unknown): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  return JSON.stringify(x);
}

function crdCell(column: PrinterColumn, object: KubeObject, now: Date): unknown {
  const values = evalJsonPath(object, column.jsonPath);
  if (values.length === 0) return null;
  const v = values.length === 1 ? values[0] : values;
  switch (column.type) {
    case 'date':
      return age(v, now);
    case 'integer':
    case 'number':
      return typeof v === 'number' ? v : Number.isNaN(Number(v)) ? null : Number(v);
    case 'boolean':
      return typeof v === 'boolean' ? v : v === 'true';
    default:
      return Array.isArray(v) ? v.map(text).join(',') : text(v);
  }
}

/** The printer for a type at a version: CRD printer columns, a built-in printer, or Name/Age. */
export function printerFor(type: ResourceType, version: string): TablePrinter {
  const columns = type.printerColumns?.[version];
  if (type.crd && columns && columns.length > 0) {
    const defs: ColumnDefinition[] = [
      {
        name: 'Name',
        type: 'string',
        format: 'name',
        description: 'Name must be unique within a namespace.',
        priority: 0,
      },
      ...columns.map((c) => ({
        name: c.name,
        type: c.type === 'date' ? 'date' : c.type,
        format: c.format ?? '',
        description: c.description ?? '',
        priority: c.priority ?? 0,
      })),
    ];
    return {
      columns: defs,
      cells: (o, now) => [o.metadata.name, ...columns.map((c) => crdCell(c, o, now))],
    };
  }
  return (
    (!type.crd && (BUILTIN_PRINTERS[type.kind] ?? WORKLOAD_PRINTERS[type.kind])) || DEFAULT_PRINTER
  );
}

function rowObject(object: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

/** A meta.k8s.io/v1 Table for `kubectl get`. */
export function buildTable(
  type: ResourceType,
  version: string,
  objects: KubeObject[],
  listMeta: { resourceVersion?: string; continue?: string },
  include: IncludeObject,
  now: Date,
): Record<string, unknown> {
  const printer = printerFor(type, version);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: printer.columns,
    rows: objects.map((o) => {
      const obj = rowObject(o, include);
      return { cells: printer.cells(o, now), ...(obj ? { object: obj } : {}) };
    }),
  };
}
