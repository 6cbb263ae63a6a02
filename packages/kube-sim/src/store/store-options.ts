import type { ResourceRegistry } from './resource-registry.js';
import type { FieldValidation, StorePlugin } from './store-plugin.js';
import type { KubeObject, ListOptions, WatchOptions, WriteOptions } from './types.js';

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
