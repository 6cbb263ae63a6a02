// Read-only access to the store without copies. kube-sim's MemoryStore hands out its stored
// objects themselves when asked (`shared: true`); other ObjectStore implementations ignore the
// flag and return copies. Callers must never modify what these return: they read, and write
// through a fresh `store.get` copy.
import type {
  KubeObject,
  ListOptions,
  ObjectStore,
  ResourceRef,
  WatchEvent,
  WatchOptions,
} from '../store/types.js';

export function listShared<T extends KubeObject>(
  store: ObjectStore,
  ref: ResourceRef,
  options: ListOptions = {},
): T[] {
  const opts: ListOptions & { shared?: boolean } = { ...options, shared: true };
  return store.list(ref, opts).items as T[];
}

export function watchShared(
  store: ObjectStore,
  ref: ResourceRef,
  onEvent: (event: WatchEvent) => void,
  options: WatchOptions = {},
): () => void {
  const opts: WatchOptions & { shared?: boolean } = { ...options, shared: true };
  return store.watch(ref, opts, onEvent);
}
