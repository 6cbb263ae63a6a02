import type { ResourceType } from './resource-type.js';
import type { KubeObject, ResourceRef } from './types.js';
import type { StoredEvent } from './watch-hub.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface PrepareContext {
  type: ResourceType;
  ref: ResourceRef;
  /** The object about to be stored (a private copy: plugins may modify and return it). */
  object: KubeObject;
  /** The stored object being replaced, on update. */
  old: KubeObject | undefined;
  operation: 'create' | 'update';
  subresource: 'status' | 'scale' | undefined;
  fieldValidation: FieldValidation;
  /** Warnings to return to the client (Warning headers). */
  warnings: string[];
}

/** Extends the store: validation, defaulting and reactions to committed changes. */
export interface StorePlugin {
  /** Adjusts or validates an object before it is stored; throws a StatusError to reject it. */
  prepare?(ctx: PrepareContext): KubeObject;
  /** Observes a committed change (after watchers were notified). */
  committed?(type: ResourceType, event: StoredEvent): void;
}
