import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';
import { API_VERSION } from '@bascule/spec';

/** The controller reference a Model puts on what it owns (garbage-collected with it). */
export function modelOwnerReference(name: string, uid: string): V1OwnerReference {
  return {
    apiVersion: API_VERSION,
    kind: 'Model',
    name,
    uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Whether an object is controlled by the Model with this uid. */
export function isOwnedBy(object: KubernetesObject | undefined, uid: string): boolean {
  return (object?.metadata?.ownerReferences ?? []).some(
    (r) => r.kind === 'Model' && r.uid === uid && r.controller === true,
  );
}

/** A copy of an object with the Model's controller reference. */
export function withOwner<T extends KubernetesObject>(object: T, owner: V1OwnerReference): T {
  return { ...object, metadata: { ...object.metadata, ownerReferences: [owner] } };
}
