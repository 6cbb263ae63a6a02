// `kubectl get` columns for the kinds added in issue 22, as a real API server prints them:
// StatefulSet, PodDisruptionBudget, PersistentVolumeClaim, PersistentVolume, StorageClass.
import type { KubeObject } from '../../store/index.js';
import type { ColumnDefinition, TablePrinter } from './builtin-columns.js';
import { age } from './human-duration.js';

const str = (v: unknown, fallback = ''): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback;

type Obj = Record<string, unknown>;
const col = (name: string, type = 'string', priority = 0): ColumnDefinition => ({
  name,
  type,
  format: name === 'Name' ? 'name' : '',
  description: name === 'Name' ? 'Name must be unique within a namespace.' : `${name} column`,
  priority,
});
const NAME = col('Name');
const AGE = col('Age');
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});
const spec = (x: KubeObject): Obj => o(x['spec']);
const status = (x: KubeObject): Obj => o(x['status']);
const text = (v: unknown): string => str(v) || 'N/A';
const capacity = (x: Obj): string => str(o(x['capacity'])['storage']);
const modes = (x: Obj): string =>
  ((x['accessModes'] as string[] | undefined) ?? [])
    .map((m) =>
      m === 'ReadWriteOnce'
        ? 'RWO'
        : m === 'ReadOnlyMany'
          ? 'ROX'
          : m === 'ReadWriteMany'
            ? 'RWX'
            : 'RWOP',
    )
    .join(',');

export const WORKLOAD_PRINTERS: Record<string, TablePrinter> = {
  StatefulSet: {
    columns: [NAME, col('Ready'), AGE],
    cells: (s, now) => [
      s.metadata.name,
      `${Number(status(s)['readyReplicas'] ?? 0)}/${Number(spec(s)['replicas'] ?? 1)}`,
      age(s.metadata.creationTimestamp, now),
    ],
  },
  PodDisruptionBudget: {
    columns: [
      NAME,
      col('Min Available'),
      col('Max Unavailable'),
      col('Allowed Disruptions', 'integer'),
      AGE,
    ],
    cells: (p, now) => [
      p.metadata.name,
      text(spec(p)['minAvailable']),
      text(spec(p)['maxUnavailable']),
      Number(status(p)['disruptionsAllowed'] ?? 0),
      age(p.metadata.creationTimestamp, now),
    ],
  },
  PersistentVolumeClaim: {
    columns: [
      NAME,
      col('Status'),
      col('Volume'),
      col('Capacity'),
      col('Access Modes'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      AGE,
      col('VolumeMode', 'string', 1),
    ],
    cells: (p, now) => [
      p.metadata.name,
      str(status(p)['phase'], 'Pending'),
      str(spec(p)['volumeName'], ''),
      capacity(status(p)),
      modes(status(p)),
      str(spec(p)['storageClassName'], ''),
      '<unset>',
      age(p.metadata.creationTimestamp, now),
      str(spec(p)['volumeMode'], 'Filesystem'),
    ],
  },
  PersistentVolume: {
    columns: [
      NAME,
      col('Capacity'),
      col('Access Modes'),
      col('Reclaim Policy'),
      col('Status'),
      col('Claim'),
      col('StorageClass'),
      AGE,
    ],
    cells: (p, now) => {
      const claim = o(spec(p)['claimRef']);
      return [
        p.metadata.name,
        capacity(spec(p)),
        modes(spec(p)),
        str(spec(p)['persistentVolumeReclaimPolicy'], 'Retain'),
        str(status(p)['phase'], 'Pending'),
        str(claim['name']) ? `${str(claim['namespace'])}/${str(claim['name'])}` : '',
        str(spec(p)['storageClassName'], ''),
        age(p.metadata.creationTimestamp, now),
      ];
    },
  },
  StorageClass: {
    columns: [NAME, col('Provisioner'), col('ReclaimPolicy'), col('VolumeBindingMode'), AGE],
    cells: (s, now) => [
      s.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true'
        ? `${s.metadata.name ?? ''} (default)`
        : s.metadata.name,
      str(s['provisioner'], ''),
      str(s['reclaimPolicy'], 'Delete'),
      str(s['volumeBindingMode'], 'Immediate'),
      age(s.metadata.creationTimestamp, now),
    ],
  },
};
