// The loop a controller of one kind over the kind it owns runs on (Deployments over ReplicaSets,
// ReplicaSets over Pods): a work queue calling its reconcile, fed by two watches. Every change
// to one of its objects queues that object, every change to an owned object queues its
// controlling owner of that kind, and the objects that already exist are queued once at start.
import type { ObjectStore, ResourceRef, WatchEvent } from '../store/types.js';
import { controllerOf } from './kube-types.js';
import { watchShared } from './shared-reads.js';
import { createWorkQueue, objectKey, type WorkQueueOptions } from './work-queue.js';

export interface OwnerKindLoop {
  start(): void;
  close(): void;
}

export function ownerKindLoop(
  store: ObjectStore,
  o: {
    /** The work queue's name. */
    name: string;
    owner: { ref: ResourceRef; kind: string };
    owned: ResourceRef;
    reconcile: WorkQueueOptions['reconcile'];
  },
): OwnerKindLoop {
  const queue = createWorkQueue({ name: o.name, reconcile: o.reconcile });
  const stops: (() => void)[] = [];
  const enqueue = (e: WatchEvent) =>
    queue.add(objectKey(e.object.metadata.namespace, e.object.metadata.name ?? ''));
  const enqueueOwner = (e: WatchEvent) => {
    const controller = controllerOf(e.object);
    if (controller?.kind === o.owner.kind)
      queue.add(objectKey(e.object.metadata.namespace, controller.name));
  };
  return {
    start() {
      stops.push(
        watchShared(store, o.owner.ref, enqueue),
        watchShared(store, o.owned, enqueueOwner),
      );
      for (const obj of store.list(o.owner.ref).items)
        queue.add(objectKey(obj.metadata.namespace, obj.metadata.name ?? ''));
    },
    close() {
      for (const stop of stops) stop();
      queue.close();
    },
  };
}
