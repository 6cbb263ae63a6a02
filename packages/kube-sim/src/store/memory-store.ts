import { objectMatcher } from './object-matcher.js';
import { NAMESPACES, objectKey, present, splitTableKey, tableKey } from './object-keys.js';
import { cloneJson } from './object-utils.js';
import { ResourceRegistry } from './resource-registry.js';
import type { ResourceType } from './resource-type.js';
import { notFound, resourceNotFound } from './status-error.js';
import type { StorePlugin } from './store-plugin.js';
import type {
  ListResult,
  StoreListOptions,
  StoreOptions,
  StoreWatchOptions,
  StoreWriteOptions,
} from './store-options.js';
import type { DeleteOptions, KubeObject, ObjectStore, ResourceRef, WatchEvent } from './types.js';
import { decodeContinue, encodeContinue, selectPage } from './list-page.js';
import { scaleOf } from './scale-subresource.js';
import { updateScale } from './scale-subresource.js';
import { GarbageCollector } from './garbage-collector.js';
import { WatchHub, type StoredEvent } from './watch-hub.js';
import type { StoreInternals } from './store-internals.js';
import { createObject, updateObject } from './store-write.js';
import { deleteObject } from './store-delete.js';
import { startWatch } from './store-watch.js';
import {
  restoreSnapshot,
  takeSnapshot,
  type SnapshotFilter,
  type StoreSnapshot,
} from './store-snapshot.js';

interface Location {
  table: string;
  key: string;
}

const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** kube-sim's object store: the single source of truth behind the API server and the cluster. */
export class MemoryStore implements ObjectStore {
  readonly registry: ResourceRegistry;
  private rv = 0;
  private readonly tables = new Map<string, Map<string, KubeObject>>();
  private readonly sortedKeys = new Map<string, string[]>();
  private readonly byUid = new Map<string, Location>();
  private readonly gc: GarbageCollector;
  private readonly hub: WatchHub;
  private readonly clock: () => Date;
  private readonly enforceNamespaces: boolean;
  private readonly plugins: StorePlugin[];
  private readonly internals: StoreInternals;

  constructor(options: StoreOptions = {}) {
    this.registry = options.registry ?? new ResourceRegistry();
    this.hub = new WatchHub(options.historySize ?? 10_000);
    this.clock = options.clock ?? (() => new Date());
    this.enforceNamespaces = options.enforceNamespaces ?? true;
    this.plugins = [...(options.plugins ?? [])];
    this.gc = new GarbageCollector(this, {
      commit: (type, key, object, old) => this.commit(type, key, object, old),
      remove: (type, key, old) => this.remove(type, key, old),
      entries: (type) => [...this.table(type)],
      exists: (uid) => this.byUid.has(uid),
    });
    this.internals = {
      rv: () => this.rv,
      clock: () => this.clock(),
      enforceNamespaces: this.enforceNamespaces,
      plugins: this.plugins,
      gc: this.gc,
      hub: this.hub,
      resolve: (ref) => this.resolve(ref),
      table: (type) => this.table(type),
      keysOf: (type) => this.keysOf(type),
      commit: (type, key, object, old) => this.commit(type, key, object, old),
      remove: (type, key, old) => this.remove(type, key, old),
    };
    for (const ns of options.namespaces ?? DEFAULT_NAMESPACES) {
      this.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    }
  }

  use(plugin: StorePlugin): void {
    this.plugins.push(plugin);
  }

  /** The latest resourceVersion handed out. */
  currentResourceVersion(): string {
    return String(this.rv);
  }

  /** The oldest resourceVersion a watch may start from. */
  oldestWatchableResourceVersion(): string {
    return String(this.hub.compactedRv);
  }

  get watcherCount(): number {
    return this.hub.watcherCount;
  }

  /** The served type for a ref; throws 404 when the resource is not served. */
  resolve(ref: ResourceRef): ResourceType {
    const type = this.registry.get(ref);
    if (!type) throw resourceNotFound();
    return type;
  }

  get(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject | undefined {
    const obj = this.getShared(ref, namespace, name);
    return obj && cloneJson(obj);
  }

  /** Like get, but returns the stored object itself: never modify it. */
  getShared(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject | undefined {
    const type = this.resolve(ref);
    const obj = this.table(type).get(objectKey(type, namespace, name));
    return obj && present(type, ref, obj);
  }

  /** Like get, but throws 404 NotFound. */
  mustGet(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject {
    const obj = this.get(ref, namespace, name);
    if (!obj) throw notFound(ref.group, ref.resource, name);
    return obj;
  }

  list(ref: ResourceRef, options: StoreListOptions = {}): ListResult {
    const type = this.resolve(ref);
    let listRv = this.rv;
    let after: string | undefined;
    if (options.continue) {
      const token = decodeContinue(options.continue);
      listRv = token.rv;
      after = token.start;
    }
    const table = this.table(type);
    const prefix = type.namespaced && options.namespace ? `${options.namespace}/` : '';
    const { items, more } = selectPage(this.keysOf(type), (k) => table.get(k)!, {
      prefix,
      after,
      limit: options.limit && options.limit > 0 ? options.limit : Infinity,
      matches: objectMatcher({
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
      }),
    });
    const out = items
      .map((o) => present(type, ref, o))
      .map((o) => (options.shared ? o : cloneJson(o)));
    const result: ListResult = { items: out, resourceVersion: String(listRv) };
    if (more) {
      const last = items[items.length - 1]!;
      result.continue = encodeContinue(
        listRv,
        objectKey(type, last.metadata.namespace, last.metadata.name ?? ''),
      );
    }
    return result;
  }

  create(ref: ResourceRef, input: KubeObject, options: StoreWriteOptions = {}): KubeObject {
    return createObject(this.internals, this.resolve(ref), ref, input, options);
  }

  update(ref: ResourceRef, input: KubeObject, options: StoreWriteOptions = {}): KubeObject {
    const type = this.resolve(ref);
    if (options.subresource === 'scale') return updateScale(this, type, ref, input, options);
    return updateObject(this.internals, type, ref, input, options);
  }

  /** The autoscaling/v1 Scale of an object with a scale subresource. */
  getScale(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject {
    const type = this.resolve(ref);
    const scale = type.subresources.scale;
    if (!scale) throw resourceNotFound();
    const obj = this.table(type).get(objectKey(type, namespace, name));
    if (!obj) throw notFound(type.group, type.resource, name);
    return scaleOf(obj, scale);
  }

  /**
   * Deletes an object: 404 NotFound when absent; with finalizers (or Foreground and dependents)
   * it gets a deletionTimestamp and stays until they are gone; dependents are collected per policy.
   */
  delete(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): KubeObject | undefined {
    return deleteObject(this.internals, this.resolve(ref), ref, namespace, name, options);
  }

  watch(
    ref: ResourceRef,
    options: StoreWatchOptions,
    onEvent: (event: WatchEvent) => void,
  ): () => void {
    return startWatch(this.internals, this.resolve(ref), ref, options, onEvent);
  }

  /** Number of stored objects of a resource (all namespaces). */
  count(ref: ResourceRef): number {
    return this.table(this.resolve(ref)).size;
  }

  /** Drops every object of a resource (used when its CRD goes away). */
  dropAll(type: ResourceType): void {
    for (const [key, obj] of [...this.table(type)]) this.remove(type, key, obj);
  }

  /** Copies of the stored objects (those `keep` accepts) and the resourceVersion counter. */
  snapshot(keep?: SnapshotFilter): StoreSnapshot {
    return takeSnapshot(this.registry.all(), (type) => this.table(type), this.rv, keep);
  }

  /** Loads a snapshot into this store before it is used (see restoreSnapshot). */
  restore(snapshot: StoreSnapshot): void {
    restoreSnapshot(snapshot, {
      registry: this.registry,
      plugins: this.plugins,
      insert: (type, key, object) => {
        const old = this.table(type).get(key);
        if (old) this.gc.reindexOwners(old.metadata.uid!, old.metadata.ownerReferences, undefined);
        if (old) this.byUid.delete(old.metadata.uid!);
        this.table(type).set(key, object);
        this.sortedKeys.delete(tableKey(type));
        this.byUid.set(object.metadata.uid!, { table: tableKey(type), key });
        this.gc.reindexOwners(object.metadata.uid!, undefined, object.metadata.ownerReferences);
      },
      continueFrom: (rv) => {
        this.rv = Math.max(this.rv, rv);
        this.hub.compactTo(this.rv);
      },
    });
  }

  /** Stores an object under a new resourceVersion and notifies watchers. */
  private commit(
    type: ResourceType,
    key: string,
    object: KubeObject,
    old: KubeObject | undefined,
  ): KubeObject {
    this.rv++;
    object.metadata.resourceVersion = String(this.rv);
    const table = this.table(type);
    table.set(key, object);
    if (!old) this.sortedKeys.delete(tableKey(type));
    this.byUid.set(object.metadata.uid!, { table: tableKey(type), key });
    this.gc.reindexOwners(
      object.metadata.uid!,
      old?.metadata.ownerReferences,
      object.metadata.ownerReferences,
    );
    this.publish(type, {
      rv: this.rv,
      table: tableKey(type),
      type: old ? 'MODIFIED' : 'ADDED',
      object,
      prev: old,
    });
    return object;
  }

  /** Removes an object for good, then collects its dependents and unblocks foreground owners. */
  private remove(type: ResourceType, key: string, old: KubeObject): KubeObject {
    const table = this.table(type);
    if (table.get(key) !== old) return table.get(key) ?? old;
    this.rv++;
    const deleted: KubeObject = {
      ...old,
      metadata: { ...old.metadata, resourceVersion: String(this.rv) },
    };
    table.delete(key);
    this.sortedKeys.delete(tableKey(type));
    const uid = old.metadata.uid!;
    this.byUid.delete(uid);
    this.gc.reindexOwners(uid, old.metadata.ownerReferences, undefined);
    this.publish(type, { rv: this.rv, table: tableKey(type), type: 'DELETED', object: deleted });
    this.gc.collectDependents(uid);
    for (const owner of old.metadata.ownerReferences ?? []) this.gc.finishForeground(owner.uid);
    return deleted;
  }

  private publish(type: ResourceType, event: StoredEvent): void {
    this.hub.publish(event);
    for (const plugin of this.plugins) plugin.committed?.(type, event);
  }

  /** @internal */
  locate(uid: string): { type: ResourceType; key: string; object: KubeObject } | undefined {
    const loc = this.byUid.get(uid);
    if (!loc) return undefined;
    const [group, resource] = splitTableKey(loc.table);
    const type = this.registry.byGroupResource(group, resource);
    const object = type && this.table(type).get(loc.key);
    return type && object ? { type, key: loc.key, object } : undefined;
  }

  private table(type: ResourceType): Map<string, KubeObject> {
    const k = tableKey(type);
    let t = this.tables.get(k);
    if (!t) this.tables.set(k, (t = new Map<string, KubeObject>()));
    return t;
  }

  private keysOf(type: ResourceType): string[] {
    const k = tableKey(type);
    let keys = this.sortedKeys.get(k);
    if (!keys) {
      keys = [...this.table(type).keys()].sort();
      this.sortedKeys.set(k, keys);
    }
    return keys;
  }
}
