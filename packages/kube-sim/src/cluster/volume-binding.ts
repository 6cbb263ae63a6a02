// PersistentVolumeClaims as a cluster with one default StorageClass handles them (the
// decision: docs/decisions/0023-kube-sim-cluster-behaviour.md):
// - kube-sim creates the StorageClass `standard` (default class, provisioner
//   sim.bascule.dev/local-path, volumeBindingMode Immediate) unless one is marked default;
// - a claim without storageClassName gets the default class (DefaultStorageClass admission,
//   in the volume controller's first pass), and a claim of an existing class is provisioned
//   at once: a PersistentVolume pvc-<uid> of the requested size is created and both are Bound;
// - a claim of a class that does not exist stays Pending with a ProvisioningFailed event;
//   storageClassName "" (static binding) stays Pending: kube-sim has no static volumes;
// - the scheduler leaves a pod whose claim is missing or unbound Pending with the real
//   scheduler's message (claimSchedulingError).
import type { KubeObject, ObjectStore } from '../store/types.js';
import type { EventRecorder } from './event-recorder.js';
import { RESOURCES, type Pod } from './kube-types.js';
import { watchShared } from './shared-reads.js';
import { createWorkQueue, objectKey, splitKey, type WorkQueue } from './work-queue.js';

const str = (v: unknown, fallback = ''): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback;

export const PVCS = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
export const PVS = { group: '', version: 'v1', resource: 'persistentvolumes' };
export const STORAGE_CLASSES = {
  group: 'storage.k8s.io',
  version: 'v1',
  resource: 'storageclasses',
};
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const DEFAULT_STORAGE_CLASS = 'standard';
const PROVISIONER = 'sim.bascule.dev/local-path';

/** Why the scheduler cannot place a pod because of its claims (pure), or undefined. */
export function claimSchedulingError(
  pod: Pod,
  getClaim: (name: string) => KubeObject | undefined,
): string | undefined {
  let unbound = false;
  for (const v of pod.spec.volumes ?? []) {
    const name = v.persistentVolumeClaim?.claimName;
    if (!name) continue;
    const claim = getClaim(name);
    if (!claim) return `persistentvolumeclaim "${name}" not found`;
    if (claim.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    if ((claim['status'] as { phase?: string } | undefined)?.phase !== 'Bound') unbound = true;
  }
  return unbound ? 'pod has unbound immediate PersistentVolumeClaims' : undefined;
}

interface ClaimSpec {
  storageClassName?: string | null;
  volumeName?: string;
  accessModes?: string[];
  resources?: { requests?: { storage?: string } };
  volumeMode?: string;
}

export class VolumeController {
  private readonly queue: WorkQueue;
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly store: ObjectStore,
    private readonly recorder: EventRecorder,
  ) {
    this.queue = createWorkQueue({ name: 'volume', reconcile: (key) => this.reconcile(key) });
  }

  start(): void {
    this.ensureDefaultClass();
    const enqueueAll = () => {
      for (const c of this.store.list(PVCS).items)
        this.queue.add(objectKey(c.metadata.namespace, c.metadata.name ?? ''));
    };
    this.stops.push(
      watchShared(this.store, PVCS, (e) =>
        this.queue.add(objectKey(e.object.metadata.namespace, e.object.metadata.name ?? '')),
      ),
      watchShared(this.store, STORAGE_CLASSES, enqueueAll),
    );
    enqueueAll();
  }

  close(): void {
    for (const stop of this.stops) stop();
    this.queue.close();
  }

  private ensureDefaultClass(): void {
    try {
      const classes = this.store.list(STORAGE_CLASSES).items;
      if (classes.some((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true'))
        return;
      if (classes.some((c) => c.metadata.name === DEFAULT_STORAGE_CLASS)) return;
      this.store.create(STORAGE_CLASSES, {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: {
          name: DEFAULT_STORAGE_CLASS,
          annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' },
        },
        provisioner: PROVISIONER,
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'Immediate',
        allowVolumeExpansion: true,
      });
    } catch {
      // A store without storage classes: claims then stay Pending.
    }
  }

  private defaultClassName(): string | undefined {
    return this.store
      .list(STORAGE_CLASSES)
      .items.find((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true')?.metadata
      .name;
  }

  private reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const claim = this.store.get(PVCS, namespace, name);
    if (!claim || claim.metadata.deletionTimestamp) return;
    const spec = (claim['spec'] ?? {}) as ClaimSpec;
    if ((claim['status'] as { phase?: string } | undefined)?.phase === 'Bound') return;
    if (spec.storageClassName === undefined || spec.storageClassName === null) {
      const def = this.defaultClassName();
      if (!def) return;
      claim['spec'] = { ...spec, storageClassName: def };
      this.store.update(PVCS, claim);
      return; // the update brings the claim back here
    }
    const className = spec.storageClassName;
    if (className === '') return; // static binding: no volumes to bind to
    const cls = this.store.get(STORAGE_CLASSES, undefined, className);
    if (!cls) {
      this.recorder.record(
        claim,
        'Warning',
        'ProvisioningFailed',
        `storageclass.storage.k8s.io "${className}" not found`,
        { component: 'persistentvolume-controller' },
      );
      return;
    }
    const size = spec.resources?.requests?.storage ?? '1Gi';
    const accessModes = spec.accessModes ?? ['ReadWriteOnce'];
    const pvName = `pvc-${claim.metadata.uid ?? name}`;
    if (!this.store.get(PVS, undefined, pvName)) {
      this.store.create(PVS, {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: {
          name: pvName,
          annotations: {
            'pv.kubernetes.io/provisioned-by': str(cls['provisioner'], PROVISIONER),
          },
        },
        spec: {
          capacity: { storage: size },
          accessModes,
          persistentVolumeReclaimPolicy: str(cls['reclaimPolicy'], 'Delete'),
          storageClassName: className,
          volumeMode: spec.volumeMode ?? 'Filesystem',
          hostPath: { path: `/var/lib/kube-sim/volumes/${pvName}` },
          claimRef: {
            kind: 'PersistentVolumeClaim',
            apiVersion: 'v1',
            namespace,
            name,
            uid: claim.metadata.uid,
          },
        },
      });
      const pv = this.store.get(PVS, undefined, pvName);
      if (pv) {
        pv['status'] = { phase: 'Bound' };
        this.store.update(PVS, pv, { subresource: 'status' });
      }
      this.recorder.record(
        claim,
        'Normal',
        'ProvisioningSucceeded',
        `Successfully provisioned volume ${pvName}`,
        { component: str(cls['provisioner'], PROVISIONER) },
      );
    }
    const fresh = this.store.get(PVCS, namespace, name);
    if (!fresh) return;
    fresh['spec'] = { ...((fresh['spec'] ?? {}) as ClaimSpec), volumeName: pvName };
    const bound = this.store.update(PVCS, fresh);
    bound['status'] = { phase: 'Bound', accessModes, capacity: { storage: size } };
    this.store.update(PVCS, bound, { subresource: 'status' });
  }
}

/** The ServiceAccount controller's one job kube-sim needs: a `default` ServiceAccount per namespace. */
export class DefaultServiceAccountController {
  private readonly stops: (() => void)[] = [];
  constructor(private readonly store: ObjectStore) {}

  start(): void {
    const ensure = (ns: string) => {
      const ref = { group: '', version: 'v1', resource: 'serviceaccounts' };
      try {
        if (this.store.get(ref, ns, 'default')) return;
        this.store.create(ref, {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: 'default', namespace: ns },
        });
      } catch {
        // Being deleted, or created meanwhile.
      }
    };
    this.stops.push(
      watchShared(this.store, RESOURCES.namespaces, (e) => {
        if (e.type !== 'DELETED' && !e.object.metadata.deletionTimestamp)
          ensure(e.object.metadata.name ?? '');
      }),
    );
    for (const ns of this.store.list(RESOURCES.namespaces).items) ensure(ns.metadata.name ?? '');
  }

  close(): void {
    for (const stop of this.stops) stop();
  }
}
