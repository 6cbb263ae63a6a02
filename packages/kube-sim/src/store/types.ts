// The contract between kube-sim's API server (kube/api, kube/store) and its built-in cluster
// behaviour (kube/cluster: deployment controller, scheduler, kubelet, endpoint slices).
// The store is the single source of truth; the HTTP API and the cluster controllers both use it.
// The store implementation may add methods, but must not change these signatures.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** A resource by group (''=core), version and plural name, e.g. {group:'apps',version:'v1',resource:'deployments'}. */
export interface ResourceRef {
  group: string;
  version: string;
  resource: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Deliver events after this version; undefined or '0' means "from now" (after an initial ADDED replay when '0'). */
  resourceVersion?: string;
}

export interface WriteOptions {
  fieldManager?: string;
  /** Write only this subresource ('status' keeps spec; a plain update keeps status). */
  subresource?: 'status' | 'scale';
  dryRun?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  /** Seconds a graceful object (a bound, running Pod) may take to terminate; 0 removes it now. */
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

/**
 * Thrown by every store method on failure; the HTTP layer turns it into a Kubernetes Status
 * object (code, reason, message, details.causes) exactly as a real API server writes it.
 */
export interface StatusErrorShape {
  code: number; // 404, 409, 410, 422, ...
  reason: string; // 'NotFound', 'AlreadyExists', 'Conflict', 'Invalid', 'Gone', ...
  message: string;
}

export interface ObjectStore {
  get(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject | undefined;
  list(
    ref: ResourceRef,
    options?: ListOptions,
  ): { items: KubeObject[]; resourceVersion: string; continue?: string };
  /** Creates the object (generateName honoured, uid/resourceVersion/creationTimestamp/generation set). */
  create(ref: ResourceRef, object: KubeObject, options?: WriteOptions): KubeObject;
  /** Replaces the object; a stale metadata.resourceVersion throws 409 Conflict. */
  update(ref: ResourceRef, object: KubeObject, options?: WriteOptions): KubeObject;
  /** Deletes (finalizers and ownerReference garbage collection honoured); returns the object as deleted. */
  delete(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): KubeObject | undefined;
  /** Subscribes to changes; returns a function that stops the watch. */
  watch(ref: ResourceRef, options: WatchOptions, onEvent: (event: WatchEvent) => void): () => void;
}
