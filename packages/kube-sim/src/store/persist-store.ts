// Keeps kube-sim's state file up to date: a change to a kept object schedules one write of the
// whole snapshot after `debounceMs` (so a burst of changes costs one write), and close() writes
// whatever is still pending. Changes to simulated runtime objects (Pods, Events) write nothing.
import type { MemoryStore } from './memory-store.js';
import { keepInStateFile } from './persisted-resources.js';
import { writeStateFile } from './state-file.js';
import type { SnapshotFilter } from './store-snapshot.js';

export interface PersistStoreOptions {
  file: string;
  /** Longest a change waits before it is written (default 500 ms). */
  debounceMs?: number;
  /** Which objects to keep (default keepInStateFile). */
  keep?: SnapshotFilter;
  /** A write failed (the store keeps working; the next change tries again). */
  onError?: (err: unknown) => void;
}

export interface StorePersister {
  /** Writes now if a change is pending. */
  flush(): void;
  /** Writes what is pending and stops following changes. */
  close(): void;
  /** Snapshots written so far. */
  readonly writes: number;
}

export function persistStore(store: MemoryStore, options: PersistStoreOptions): StorePersister {
  const keep = options.keep ?? keepInStateFile;
  const debounceMs = options.debounceMs ?? 500;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let writes = 0;
  const write = () => {
    timer = undefined;
    try {
      writeStateFile(options.file, store.snapshot(keep));
      writes++;
    } catch (err) {
      options.onError?.(err);
    }
  };
  store.use({
    committed(type, event) {
      if (closed || timer) return;
      if (!keep(type, event.object) && !(event.prev && keep(type, event.prev))) return;
      timer = setTimeout(write, debounceMs);
    },
  });
  const persister: StorePersister = {
    flush() {
      if (!timer) return;
      clearTimeout(timer);
      write();
    },
    close() {
      if (closed) return;
      persister.flush();
      closed = true;
    },
    get writes() {
      return writes;
    },
  };
  return persister;
}
