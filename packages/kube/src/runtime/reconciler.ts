/**
 * The contract between the controller runtime and the code that does the work: a Reconciler
 * turns one key (usually `namespace/name`) into API calls and says when to look again; watches
 * turn informer events into keys. Modelled on controller-runtime's `Reconciler` and `Watches`.
 */
import type { InformerEvent } from '../informer/create-informer.js';

/** What a reconcile asks of the runtime when it succeeded. */
export interface ReconcileResult {
  /** Reconcile this key again after this long (the earliest pending request wins). */
  requeueAfterMs?: number;
}

export interface Reconciler {
  /** Short name for logs and errors (e.g. `model`, `routing-status`). */
  readonly name: string;
  /**
   * Brings the object behind `key` to its desired state. Throwing requeues the key with a
   * rate-limited backoff, except a KubeError that is not retryable (the key is then dropped
   * until an event queues it again).
   */
  reconcile(key: string): Promise<ReconcileResult | void>;
  /** Every key this reconciler owns (resync and becoming leader queue them all). */
  keys(): Iterable<string>;
  /**
   * Told about each failure: `retryInMs` is the backoff delay, undefined when the error is
   * permanent and the key was dropped. Logging and metrics belong here.
   */
  onError?(key: string, err: unknown, retryInMs: number | undefined): void;
}

/** What a watch handler may do with the queue of its controller. */
export interface KeyQueue {
  /** Queues a key now (deduplicated). */
  add(key: string): void;
  /** Resets a key's failure count (e.g. when its object is deleted). */
  forget(key: string): void;
  /** Queues every key of the reconciler (only while leading; a no-op otherwise). */
  addAll(): void;
}

/**
 * Maps one informer event to keys (controller-runtime's `Watches` with an event handler): the
 * primary object's own key, the owner of an owned object, or every object a related one affects.
 */
export type WatchHandler<O = unknown> = (event: InformerEvent, object: O, queue: KeyQueue) => void;
