// `kubectl get` columns for the kinds added in issue 22, as a real API server prints them:
// StatefulSet, PodDisruptionBudget, PersistentVolumeClaim, PersistentVolume, StorageClass.
import type { KubeObject } from '../../store/index.js';
import type { ColumnDefinition, TablePrinter } from './builtin-columns.js';
import { age } from './human-duration.js';

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
const text = (v: unknown): string =>
  v === undefined || v === null || v === '' ? 'N/A' : String(v as string | number);
const capacity = (x: Obj): string => text(o(x['capacity'])['storage']).replace('N/A', '');
const modes = (x: Obj): string =>
  ((x['accessModes'] as string[] | undefined) ?? [])
    .map((m) =>
      m === 'ReadWriteOnce' ? 'RWO' : m === 'ReadOnlyMany' ? 'ROX' : m === 'ReadWriteMany' ? 'RWX' : 'RWOP',
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
    columns: [NAME, col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions', 'integer'), AGE],
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
      String(status(p)['phase'] ?? 'Pending'),
      String(spec(p)['volumeName'] ?? ''),
      capacity(status(p)),
      modes(status(p)),
      String(spec(p)['storageClassName'] ?? ''),
      '<unset>',
      age(p.metadata.creationTimestamp, now),
      String(spec(p)['volumeMode'] ?? 'Filesystem'),
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
        String(spec(p)['persistentVolumeReclaimPolicy'] ?? 'Retain'),
        String(status(p)['phase'] ?? 'Pending'),
        claim['name'] ? `${String(claim['namespace'])}/${String(claim['name'])}` : '',
        String(spec(p)['storageClassName'] ?? ''),
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
      String(s['provisioner'] ?? ''),
      String(s['reclaimPolicy'] ?? 'Delete'),
      String(s['volumeBindingMode'] ?? 'Immediate'),
      age(s.metadata.creationTimestamp, now),
    ],
  },
};
