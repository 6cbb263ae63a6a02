// The watches a controller of one kind over the kind it owns starts with (Deployments over
// ReplicaSets, ReplicaSets over Pods): every change to one of its objects queues that object,
// every change to an owned object queues its controlling owner of that kind, and the objects
// that already exist are queued once at the start.
import type { ObjectStore, ResourceRef, WatchEvent } from '../store/types.js';
import { controllerOf } from './kube-types.js';
import { watchShared } from './shared-reads.js';
import { objectKey, type WorkQueue } from './work-queue.js';

/** Starts the two watches and queues the existing objects; returns the watches' stops. */
export function watchOwnerKind(
  store: ObjectStore,
  queue: WorkQueue,
  owner: { ref: ResourceRef; kind: string },
  owned: ResourceRef,
): (() => void)[] {
  const enqueue = (e: WatchEvent) =>
    queue.add(objectKey(e.object.metadata.namespace, e.object.metadata.name ?? ''));
  const enqueueOwner = (e: WatchEvent) => {
    const controller = controllerOf(e.object);
    if (controller?.kind === owner.kind)
      queue.add(objectKey(e.object.metadata.namespace, controller.name));
  };
  const stops = [watchShared(store, owner.ref, enqueue), watchShared(store, owned, enqueueOwner)];
  for (const o of store.list(owner.ref).items)
    queue.add(objectKey(o.metadata.namespace, o.metadata.name ?? ''));
  return stops;
}
