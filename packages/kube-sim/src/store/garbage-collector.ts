import type { ResourceType } from './resource-type.js';
import type { KubeObject, ObjectStore } from './types.js';

/**
 * The store as the garbage collector sees it: uid lookup, the registry of kinds and a delete that
 * honours finalizers. MemoryStore implements it; naming this port here (not importing the
 * MemoryStore class) keeps the store modules free of an import circle.
 */
export interface GcStore extends Pick<ObjectStore, 'delete'> {
  locate(uid: string): { type: ResourceType; key: string; object: KubeObject } | undefined;
  readonly registry: { all(): ResourceType[] };
}

/** The store operations the garbage collector needs (they bypass validation). */
export interface GcInternals {
  commit(
    type: ResourceType,
    key: string,
    object: KubeObject,
    old: KubeObject | undefined,
  ): KubeObject;
  remove(type: ResourceType, key: string, old: KubeObject): KubeObject;
  entries(type: ResourceType): Array<[string, KubeObject]>;
  exists(uid: string): boolean;
}

/**
 * ownerReference garbage collection: an index from owner uid to dependents, background
 * collection of orphaned dependents, foreground deletion (foregroundDeletion finalizer), orphaning,
 * and namespace content deletion.
 */
export class GarbageCollector {
  private readonly dependents = new Map<string, Set<string>>();

  constructor(
    private readonly store: GcStore,
    private readonly internals: GcInternals,
  ) {}

  hasDependents(uid: string): boolean {
    return (this.dependents.get(uid)?.size ?? 0) > 0;
  }

  reindexOwners(
    uid: string,
    before: KubeObject['metadata']['ownerReferences'],
    after: typeof before,
  ): void {
    const b = new Set((before ?? []).map((o) => o.uid));
    const a = new Set((after ?? []).map((o) => o.uid));
    for (const owner of b) {
      if (a.has(owner)) continue;
      const set = this.dependents.get(owner);
      set?.delete(uid);
      if (set && set.size === 0) this.dependents.delete(owner);
    }
    for (const owner of a) {
      if (b.has(owner)) continue;
      let set = this.dependents.get(owner);
      if (!set) this.dependents.set(owner, (set = new Set()));
      set.add(uid);
    }
  }

  /** Background garbage collection: dependents whose owners are all gone are deleted. */
  collectDependents(ownerUid: string): void {
    for (const depUid of [...(this.dependents.get(ownerUid) ?? [])]) {
      const dep = this.store.locate(depUid);
      if (!dep) continue;
      const refs = dep.object.metadata.ownerReferences ?? [];
      const remaining = refs.filter((r) => r.uid !== ownerUid);
      if (remaining.some((r) => this.internals.exists(r.uid))) {
        this.setOwnerRefs(dep.type, dep.key, dep.object, remaining);
      } else {
        this.deleteLocated(dep.type, dep.key, dep.object);
      }
    }
    this.dependents.delete(ownerUid);
  }

  deleteDependents(ownerUid: string): void {
    for (const depUid of [...(this.dependents.get(ownerUid) ?? [])]) {
      const dep = this.store.locate(depUid);
      if (dep) this.deleteLocated(dep.type, dep.key, dep.object, 'Foreground');
    }
  }

  deleteLocated(
    type: ResourceType,
    key: string,
    object: KubeObject,
    policy: 'Background' | 'Foreground' = 'Background',
  ): void {
    const ref = { group: type.group, version: type.versions[0]!, resource: type.resource };
    try {
      this.store.delete(ref, object.metadata.namespace, object.metadata.name ?? '', {
        propagationPolicy: policy,
      });
    } catch {
      // Already gone.
    }
    void key;
  }

  orphanDependents(ownerUid: string): void {
    for (const depUid of [...(this.dependents.get(ownerUid) ?? [])]) {
      const dep = this.store.locate(depUid);
      if (!dep) continue;
      const remaining = (dep.object.metadata.ownerReferences ?? []).filter(
        (r) => r.uid !== ownerUid,
      );
      this.setOwnerRefs(dep.type, dep.key, dep.object, remaining);
    }
  }

  setOwnerRefs(
    type: ResourceType,
    key: string,
    object: KubeObject,
    refs: KubeObject['metadata']['ownerReferences'],
  ): void {
    const metadata = { ...object.metadata };
    if (refs && refs.length > 0) metadata.ownerReferences = refs;
    else delete metadata.ownerReferences;
    this.internals.commit(type, key, { ...object, metadata }, object);
  }

  /** Removes the foregroundDeletion finalizer of an owner whose dependents are all gone. */
  finishForeground(ownerUid: string): void {
    const owner = this.store.locate(ownerUid);
    if (!owner) return;
    const finalizers = owner.object.metadata.finalizers ?? [];
    if (!owner.object.metadata.deletionTimestamp || !finalizers.includes('foregroundDeletion'))
      return;
    if ((this.dependents.get(ownerUid)?.size ?? 0) > 0) return;
    const rest = finalizers.filter((f) => f !== 'foregroundDeletion');
    const metadata: KubeObject['metadata'] = { ...owner.object.metadata, finalizers: rest };
    if (rest.length === 0) delete metadata.finalizers;
    const stored = this.internals.commit(
      owner.type,
      owner.key,
      { ...owner.object, metadata },
      owner.object,
    );
    if (rest.length === 0) this.internals.remove(owner.type, owner.key, stored);
  }

  deleteNamespaceContents(namespace: string): void {
    for (const type of this.store.registry.all()) {
      if (!type.namespaced) continue;
      const prefix = `${namespace}/`;
      for (const [key, obj] of this.internals.entries(type)) {
        if (key.startsWith(prefix)) this.deleteLocated(type, key, obj);
      }
    }
  }
}
