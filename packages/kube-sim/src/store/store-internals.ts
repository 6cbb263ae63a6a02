import type { GarbageCollector } from './garbage-collector.js';
import type { ResourceType } from './resource-type.js';
import type { StorePlugin } from './store-plugin.js';
import type { KubeObject, ResourceRef } from './types.js';
import type { WatchHub } from './watch-hub.js';

/** @internal MemoryStore's private state and primitives, shared with its operation modules. */
export interface StoreInternals {
  /** The latest resourceVersion handed out. */
  rv(): number;
  clock(): Date;
  readonly enforceNamespaces: boolean;
  readonly plugins: StorePlugin[];
  readonly gc: GarbageCollector;
  readonly hub: WatchHub;
  resolve(ref: ResourceRef): ResourceType;
  table(type: ResourceType): Map<string, KubeObject>;
  keysOf(type: ResourceType): string[];
  commit(
    type: ResourceType,
    key: string,
    object: KubeObject,
    old: KubeObject | undefined,
  ): KubeObject;
  remove(type: ResourceType, key: string, old: KubeObject): KubeObject;
}
