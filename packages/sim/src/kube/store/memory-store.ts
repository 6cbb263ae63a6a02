import { randomUUID } from 'node:crypto';
import { matchesFields, parseFieldSelector } from './field-selector.js';
import { matchesLabels, parseLabelSelector } from './label-selector.js';
import {
  cloneJson,
  deepEqual,
  formatTimestamp,
  randomSuffix,
  setDotted,
  specPart,
  validateName,
} from './object-utils.js';
import { ResourceRegistry } from './resource-registry.js';
import { groupVersion, parseApiVersion, type ResourceType } from './resource-type.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  gone,
  invalid,
  notFound,
  resourceNotFound,
  type StatusCause,
} from './status-error.js';
import type { FieldValidation, StorePlugin } from './store-plugin.js';
import type {
  DeleteOptions,
  KubeObject,
  ListOptions,
  ObjectStore,
  ResourceRef,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from './types.js';
import { decodeContinue, encodeContinue, lowerBound, upperBound } from './list-page.js';
import { scaleOf } from './scale-subresource.js';
import { GarbageCollector } from './garbage-collector.js';
import { WatchHub, type StoredEvent, type Watcher } from './watch-hub.js';

export interface StoreOptions {
  registry?: ResourceRegistry;
  /** Events kept for watches from an old resourceVersion (older ones get 410 Gone). */
  historySize?: number;
  clock?: () => Date;
  /** Namespaces that exist from the start. */
  namespaces?: string[];
  /** Reject namespaced objects in namespaces that do not exist (as the API server does). */
  enforceNamespaces?: boolean;
  plugins?: StorePlugin[];
}

/** Write options the HTTP layer adds to the contract's. */
export interface StoreWriteOptions extends WriteOptions {
  fieldValidation?: FieldValidation;
  /** Filled with warnings for the client. */
  warnings?: string[];
}

export interface StoreWatchOptions extends WatchOptions {
  /** Deliver the stored objects themselves (read-only!) instead of copies: for serialisers. */
  shared?: boolean;
}

export interface StoreListOptions extends ListOptions {
  /** Return the stored objects themselves (read-only!) instead of copies. */
  shared?: boolean;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

interface Location {
  table: string;
  key: string;
}

const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const LABEL_NAMED = new Set(['namespaces', 'services']);

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
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector);
    let listRv = this.rv;
    let after: string | undefined;
    if (options.continue) {
      const token = decodeContinue(options.continue);
      listRv = token.rv;
      after = token.start;
    }
    const table = this.table(type);
    const keys = this.keysOf(type);
    const prefix = type.namespaced && options.namespace ? `${options.namespace}/` : '';
    let i = after === undefined ? lowerBound(keys, prefix) : upperBound(keys, after);
    const items: KubeObject[] = [];
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    let next: string | undefined;
    for (; i < keys.length; i++) {
      const key = keys[i]!;
      if (prefix && !key.startsWith(prefix)) break;
      const obj = table.get(key)!;
      if (!matchesLabels(labels, obj.metadata.labels) || !matchesFields(fields, obj)) continue;
      if (items.length >= limit) {
        next = keys[i - 1];
        break;
      }
      items.push(obj);
    }
    const out = items
      .map((o) => present(type, ref, o))
      .map((o) => (options.shared ? o : cloneJson(o)));
    const result: ListResult = { items: out, resourceVersion: String(listRv) };
    if (next !== undefined) {
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
    this.checkTypeMeta(type, ref, obj);
    const meta = (obj.metadata ??= {});
    if (type.namespaced) meta.namespace = meta.namespace || 'default';
    else delete meta.namespace;
    if (!meta.name && meta.generateName) {
      do meta.name = meta.generateName + randomSuffix();
      while (this.table(type).has(objectKey(type, meta.namespace, meta.name)));
    }
    const name = meta.name ?? '';
    if (!name) {
      throw invalid(type.group, type.kind, '', [
        {
          reason: 'FieldValueRequired',
          field: 'metadata.name',
          message: 'Required value: name or generateName is required',
        },
      ]);
    }
    const nameError = validateName(name, LABEL_NAMED.has(type.resource) && type.group === '');
    if (nameError) {
      throw invalid(type.group, type.kind, name, [
        { reason: 'FieldValueInvalid', field: 'metadata.name', message: nameError },
      ]);
    }
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
    if (options.subresource === 'scale') return this.updateScale(type, ref, input, options);
    const obj = cloneJson(input);
    this.checkTypeMeta(type, ref, obj);
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
    if (meta.resourceVersion && meta.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(type.group, type.resource, name);
    }
    if (meta.uid && meta.uid !== old.metadata.uid) {
      throw conflict(
        type.group,
        type.resource,
        name,
        `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    let next: KubeObject;
    if (options.subresource === 'status') {
      next = { ...cloneJson(old), status: obj['status'] };
      if (obj['status'] === undefined) delete next['status'];
      if (meta.managedFields) next.metadata.managedFields = meta.managedFields;
    } else {
      next = obj;
      if (type.subresources.status) {
        if (old['status'] === undefined) delete next['status'];
        else next['status'] = cloneJson(old['status']);
      }
      next.metadata = {
        ...meta,
        name: old.metadata.name,
        uid: old.metadata.uid,
        creationTimestamp: old.metadata.creationTimestamp,
        managedFields: meta.managedFields ?? old.metadata.managedFields,
      };
      if (old.metadata.namespace) next.metadata.namespace = old.metadata.namespace;
      else delete next.metadata.namespace;
      if (old.metadata.deletionTimestamp)
        next.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
      else delete next.metadata.deletionTimestamp;
      const added = (meta.finalizers ?? []).filter(
        (f) => !(old.metadata.finalizers ?? []).includes(f),
      );
      if (old.metadata.deletionTimestamp && added.length > 0) {
        throw invalid(type.group, type.kind, name, [
          {
            reason: 'FieldValueForbidden',
            field: 'metadata.finalizers',
            message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"${added.join('", "')}"}`,
          },
        ]);
      }
    }
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    next.metadata.generation = old.metadata.generation;
    if (!type.generation) delete next.metadata.generation;
    const prepared = this.prepare(type, ref, next, old, options);
    if (type.generation) {
      const changed = type.subresources.status
        ? !deepEqual(specPart(prepared), specPart(old))
        : !deepEqual(
            { ...specPart(prepared), s: prepared['status'] },
            { ...specPart(old), s: old['status'] },
          );
      prepared.metadata.generation = (old.metadata.generation ?? 0) + (changed ? 1 : 0);
    }
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
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector);
    const namespace = type.namespaced ? options.namespace : undefined;
    const matches = (obj: KubeObject): boolean =>
      (!namespace || obj.metadata.namespace === namespace) &&
      matchesLabels(labels, obj.metadata.labels) &&
      matchesFields(fields, obj);
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

  private updateScale(
    type: ResourceType,
    ref: ResourceRef,
    input: KubeObject,
    options: StoreWriteOptions,
  ): KubeObject {
    const scale = type.subresources.scale;
    if (!scale) throw resourceNotFound();
    const name = input.metadata?.name ?? '';
    const key = objectKey(type, input.metadata?.namespace, name);
    const old = this.table(type).get(key);
    if (!old) throw notFound(type.group, type.resource, name);
    const rv = input.metadata?.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) throw conflict(type.group, type.resource, name);
    const replicas = (input['spec'] as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid('autoscaling', 'Scale', name, [
        {
          reason: 'FieldValueInvalid',
          field: 'spec.replicas',
          message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
        },
      ]);
    }
    const next = setDotted(old, scale.specReplicasPath, replicas);
    const updated = this.update(
      ref,
      { ...next, metadata: { ...next.metadata, resourceVersion: old.metadata.resourceVersion } },
      { ...options, subresource: undefined },
    );
    if (options.dryRun)
      return { ...this.getScale(ref, old.metadata.namespace, name), spec: { replicas } };
    return this.getScale(ref, updated.metadata.namespace, name);
  }

  private checkTypeMeta(type: ResourceType, ref: ResourceRef, obj: KubeObject): void {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw badRequest('the body of the request was in an unknown format: expected an object');
    }
    if (obj.kind && obj.kind !== type.kind) {
      throw badRequest(
        `the kind in the data (${obj.kind}) does not match the expected kind (${type.kind})`,
      );
    }
    if (obj.apiVersion) {
      const { group, version } = parseApiVersion(obj.apiVersion);
      if (group !== type.group || !type.versions.includes(version)) {
        throw badRequest(
          `the API version in the data (${obj.apiVersion}) does not match the expected API version (${groupVersion(ref.group, ref.version)})`,
        );
      }
    }
    if (obj.metadata !== undefined && (typeof obj.metadata !== 'object' || obj.metadata === null)) {
      throw badRequest('metadata: expected an object');
    }
    obj.apiVersion = groupVersion(type.group, type.versions[0]!);
    obj.kind = type.kind;
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
