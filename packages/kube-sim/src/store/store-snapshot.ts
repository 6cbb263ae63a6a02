// A store's objects as plain data (for kube-sim's state file) and back: the objects keep their
// uids, resourceVersions, generations, creationTimestamps and managedFields, so clients see a
// continuation of the same cluster, and the resourceVersion counter continues above them.
import { objectKey, tableKey } from './object-keys.js';
import { cloneJson } from './object-utils.js';
import type { ResourceRegistry } from './resource-registry.js';
import type { ResourceType } from './resource-type.js';
import type { StorePlugin } from './store-plugin.js';
import type { KubeObject } from './types.js';

export interface StoreSnapshot {
  /** The store's resourceVersion counter when the snapshot was taken. */
  resourceVersion: number;
  /** CRDs first (restoring them serves their resources), then Namespaces, then the rest. */
  resources: Array<{ group: string; resource: string; items: KubeObject[] }>;
}

/** Which objects a snapshot keeps (all by default). */
export type SnapshotFilter = (type: ResourceType, object: KubeObject) => boolean;

/** Thrown by restore when a snapshot cannot be loaded; the message says which object and why. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

const CRDS = 'apiextensions.k8s.io/customresourcedefinitions';
const NAMESPACES = '/namespaces';

function rank(key: string): number {
  return key === CRDS ? 0 : key === NAMESPACES ? 1 : 2;
}

export function takeSnapshot(
  types: readonly ResourceType[],
  table: (type: ResourceType) => Map<string, KubeObject>,
  resourceVersion: number,
  keep: SnapshotFilter = () => true,
): StoreSnapshot {
  const sorted = [...types].sort(
    (a, b) => rank(tableKey(a)) - rank(tableKey(b)) || tableKey(a).localeCompare(tableKey(b)),
  );
  const resources: StoreSnapshot['resources'] = [];
  for (const type of sorted) {
    const items = [...table(type).values()].filter((o) => keep(type, o)).map(cloneJson);
    if (items.length > 0) resources.push({ group: type.group, resource: type.resource, items });
  }
  return { resourceVersion, resources };
}

/** What restore needs of the store (it writes objects as they are, bypassing validation). */
export interface RestoreTarget {
  registry: ResourceRegistry;
  plugins: readonly StorePlugin[];
  /** Stores an object as it is (no new resourceVersion, no watch event). */
  insert(type: ResourceType, key: string, object: KubeObject): void;
  /** Continues the resourceVersion counter from `rv` and forgets the watch history. */
  continueFrom(rv: number): void;
}

/**
 * Loads a snapshot: objects replace those with the same key (the default Namespaces). Plugins
 * see each object as ADDED (CRDs get served, Service cluster IPs are reserved). Objects whose
 * owners are all missing are dropped, as the garbage collector would delete them.
 */
export function restoreSnapshot(snapshot: StoreSnapshot, target: RestoreTarget): void {
  const uids = new Set<string>();
  for (const r of snapshot.resources) for (const o of r.items) uids.add(o.metadata.uid!);
  // Drop dependents of missing owners until nothing changes (chains: Deployment -> ReplicaSet).
  for (let changed = true; changed;) {
    changed = false;
    for (const r of snapshot.resources) {
      for (const o of r.items) {
        const owners = o.metadata.ownerReferences ?? [];
        if (
          uids.has(o.metadata.uid!) &&
          owners.length > 0 &&
          !owners.some((w) => uids.has(w.uid))
        ) {
          uids.delete(o.metadata.uid!);
          changed = true;
        }
      }
    }
  }
  let maxRv = snapshot.resourceVersion;
  for (const r of snapshot.resources) {
    const type = target.registry.byGroupResource(r.group, r.resource);
    if (!type) {
      throw new SnapshotError(
        `${r.group ? `${r.resource}.${r.group}` : r.resource} is not served (no CustomResourceDefinition for it)`,
      );
    }
    for (const o of r.items) {
      if (!uids.has(o.metadata.uid!)) continue;
      const object = cloneJson(o);
      const rv = Number(object.metadata.resourceVersion);
      maxRv = Math.max(maxRv, rv);
      target.insert(
        type,
        objectKey(type, object.metadata.namespace, object.metadata.name!),
        object,
      );
      for (const plugin of target.plugins) {
        plugin.committed?.(type, { rv, table: tableKey(type), type: 'ADDED', object });
      }
    }
  }
  target.continueFrom(maxRv);
}
