import { randomUUID } from 'node:crypto';
import { objectMatcher } from './object-matcher.js';
import { cloneJson, deepEqual, formatTimestamp, randomSuffix } from './object-utils.js';
import { ResourceRegistry } from './resource-registry.js';
import { groupVersion, type ResourceType } from './resource-type.js';
import {
  alreadyExists,
  badRequest,
  forbidden,
  gone,
  invalid,
  notFound,
  resourceNotFound,
  type StatusCause,
} from './status-error.js';
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
import {
  checkNewName,
  checkPreconditions,
  checkTypeMeta,
  mergeUpdate,
  nextGeneration,
} from './write-rules.js';
import { GarbageCollector } from './garbage-collector.js';
import { WatchHub, type StoredEvent, type Watcher } from './watch-hub.js';

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
    const type = this.resolve(ref);
    const obj = cloneJson(input);
    checkTypeMeta(type, ref, obj);
    const meta = (obj.metadata ??= {});
    if (type.namespaced) meta.namespace = meta.namespace || 'default';
    else delete meta.namespace;
    if (!meta.name && meta.generateName) {
      do meta.name = meta.generateName + randomSuffix();
      while (this.table(type).has(objectKey(type, meta.namespace, meta.name)));
    }
    const name = checkNewName(type, meta.name);
    if (type.namespaced) this.checkNamespace(meta.namespace!);
    const key = objectKey(type, meta.namespace, name);
    if (this.table(type).has(key)) throw alreadyExists(type.group, type.resource, name);
    if (type.createStatus === 'drop') delete obj['status'];
    else if (type.createStatus !== 'keep') obj['status'] = cloneJson(type.createStatus.initial);
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    meta.uid = randomUUID();
    meta.creationTimestamp = formatTimestamp(this.clock());
    if (type.generation) meta.generation = 1;
    else delete meta.generation;
    const prepared = this.prepare(type, ref, obj, undefined, options);
    if (options.dryRun) return present(type, ref, prepared);
    const stored = this.commit(type, key, prepared, undefined);
    return cloneJson(present(type, ref, stored));
  }

  update(ref: ResourceRef, input: KubeObject, options: StoreWriteOptions = {}): KubeObject {
    const type = this.resolve(ref);
    if (options.subresource === 'scale') return updateScale(this, type, ref, input, options);
    const obj = cloneJson(input);
    checkTypeMeta(type, ref, obj);
    const meta = (obj.metadata ??= {});
    const name = meta.name ?? '';
    if (!name) {
      throw invalid(type.group, type.kind, '', [
        {
          reason: 'FieldValueRequired',
          field: 'metadata.name',
          message: 'Required value: name is required',
        },
      ]);
    }
    const key = objectKey(type, meta.namespace, name);
    const old = this.table(type).get(key);
    if (!old) throw notFound(type.group, type.resource, name);
    checkPreconditions(type, old, meta);
    const next = mergeUpdate(type, old, obj, options.subresource === 'status');
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    next.metadata.generation = old.metadata.generation;
    if (!type.generation) delete next.metadata.generation;
    const prepared = this.prepare(type, ref, next, old, options);
    if (type.generation) prepared.metadata.generation = nextGeneration(type, prepared, old);
    if (deepEqual(prepared, old)) return cloneJson(present(type, ref, old));
    if (options.dryRun) return present(type, ref, prepared);
    const stored = this.commit(type, key, prepared, old);
    if (stored.metadata.deletionTimestamp && (stored.metadata.finalizers ?? []).length === 0) {
      return cloneJson(present(type, ref, this.remove(type, key, stored)));
    }
    return cloneJson(present(type, ref, stored));
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
    const type = this.resolve(ref);
    const key = objectKey(type, namespace, name);
    const old = this.table(type).get(key);
    if (!old) throw notFound(type.group, type.resource, name);
    if (options.dryRun) return cloneJson(present(type, ref, old));
    if (old.metadata.deletionTimestamp) return cloneJson(present(type, ref, old));
    const uid = old.metadata.uid!;
    const policy = options.propagationPolicy ?? 'Background';
    if (type.group === '' && type.resource === 'namespaces') this.gc.deleteNamespaceContents(name);
    if (policy === 'Orphan') this.gc.orphanDependents(uid);
    const finalizers = [...(old.metadata.finalizers ?? [])];
    const foreground = policy === 'Foreground' && this.gc.hasDependents(uid);
    if (foreground && !finalizers.includes('foregroundDeletion'))
      finalizers.push('foregroundDeletion');
    if (finalizers.length > 0) {
      const marked: KubeObject = {
        ...old,
        metadata: {
          ...old.metadata,
          finalizers,
          deletionTimestamp: formatTimestamp(this.clock()),
          deletionGracePeriodSeconds: 0,
        } as KubeObject['metadata'],
      };
      const stored = this.commit(type, key, marked, old);
      if (foreground) {
        this.gc.deleteDependents(uid);
        this.gc.finishForeground(uid);
      }
      const current = this.table(type).get(key) ?? stored;
      return cloneJson(present(type, ref, current));
    }
    return cloneJson(present(type, ref, this.remove(type, key, old)));
  }

  watch(
    ref: ResourceRef,
    options: StoreWatchOptions,
    onEvent: (event: WatchEvent) => void,
  ): () => void {
    const type = this.resolve(ref);
    const matches = objectMatcher({
      namespace: type.namespaced ? options.namespace : undefined,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    });
    const deliver = (event: WatchEvent): void => {
      const object = present(type, ref, event.object);
      onEvent({ type: event.type, object: options.shared ? object : cloneJson(object) });
    };
    const watcher: Watcher = {
      table: tableKey(type),
      lastRv: this.rv,
      matches,
      deliver,
      stopped: false,
    };
    const rv = options.resourceVersion;
    if (rv === '0') {
      for (const key of this.keysOf(type)) {
        const obj = this.table(type).get(key)!;
        if (matches(obj))
          WatchHub.deliverTo(watcher, { rv: 0, table: watcher.table, type: 'ADDED', object: obj });
      }
    } else if (rv !== undefined && rv !== '') {
      const from = Number(rv);
      if (!Number.isInteger(from) || from < 0) throw badRequest(`invalid resource version: ${rv}`);
      if (from < this.hub.compactedRv) {
        throw gone(`too old resource version: ${from} (${this.hub.compactedRv})`);
      }
      for (const event of this.hub.eventsAfter(watcher.table, from))
        WatchHub.deliverTo(watcher, event);
    }
    return this.hub.add(watcher);
  }

  /** Number of stored objects of a resource (all namespaces). */
  count(ref: ResourceRef): number {
    return this.table(this.resolve(ref)).size;
  }

  /** Drops every object of a resource (used when its CRD goes away). */
  dropAll(type: ResourceType): void {
    for (const [key, obj] of [...this.table(type)]) this.remove(type, key, obj);
  }

  private checkNamespace(namespace: string): void {
    if (!this.enforceNamespaces) return;
    const ns = this.table(this.resolve(NAMESPACES)).get(`/${namespace}`);
    if (!ns) throw notFound('', 'namespaces', namespace);
    if (ns.metadata.deletionTimestamp) {
      throw forbidden(
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  private prepare(
    type: ResourceType,
    ref: ResourceRef,
    object: KubeObject,
    old: KubeObject | undefined,
    options: StoreWriteOptions,
  ): KubeObject {
    let obj = object;
    const ctx = {
      type,
      ref,
      old,
      operation: old ? ('update' as const) : ('create' as const),
      subresource: options.subresource,
      fieldValidation: options.fieldValidation ?? 'Ignore',
      warnings: options.warnings ?? [],
    };
    for (const plugin of this.plugins)
      if (plugin.prepare) obj = plugin.prepare({ ...ctx, object: obj });
    if (type.validate) {
      const errors = type.validate(obj);
      if (errors.length > 0) {
        const causes: StatusCause[] = errors.map((e) => ({
          reason: e.reason ?? 'FieldValueInvalid',
          field: e.field,
          message: e.message,
        }));
        throw invalid(type.group, type.kind, obj.metadata.name ?? '', causes);
      }
    }
    return obj;
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

const NAMESPACES: ResourceRef = { group: '', version: 'v1', resource: 'namespaces' };

function tableKey(type: ResourceType): string {
  return `${type.group}/${type.resource}`;
}

function splitTableKey(key: string): [string, string] {
  const i = key.lastIndexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

function objectKey(type: ResourceType, namespace: string | undefined, name: string): string {
  return type.namespaced ? `${namespace || 'default'}/${name}` : `/${name}`;
}

/** The object as served at ref's version (CRDs may serve several versions of one storage). */
function present(type: ResourceType, ref: ResourceRef, obj: KubeObject): KubeObject {
  const apiVersion = groupVersion(type.group, ref.version);
  return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
}
