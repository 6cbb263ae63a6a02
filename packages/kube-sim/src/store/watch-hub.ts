import type { KubeObject, WatchEvent } from './types.js';

/** One change as recorded in the event history. */
export interface StoredEvent {
  rv: number;
  table: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  /** The object before a MODIFIED change (to compute selector transitions). */
  prev?: KubeObject;
}

export interface Watcher {
  table: string;
  lastRv: number;
  matches: (object: KubeObject) => boolean;
  deliver: (event: WatchEvent) => void;
  stopped: boolean;
}

/**
 * Keeps a bounded history of events (for watches from a resourceVersion) and delivers new events
 * to watchers in resourceVersion order, even when a watcher writes from inside its callback.
 */
export class WatchHub {
  private history: StoredEvent[] = [];
  private start = 0;
  private compacted = 0;
  private readonly pending: StoredEvent[] = [];
  private draining = false;
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly capacity: number) {}

  /** The oldest resourceVersion a watch can start from (all later events are still held). */
  get compactedRv(): number {
    return this.compacted;
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /** Forgets history up to `rv`: after a restore, watches from before it get 410 Gone (relist). */
  compactTo(rv: number): void {
    this.history = [];
    this.start = 0;
    this.compacted = Math.max(this.compacted, rv);
  }

  publish(event: StoredEvent): void {
    this.history.push(event);
    if (this.history.length - this.start > this.capacity) {
      this.compacted = this.history[this.start]!.rv;
      this.start++;
      if (this.start >= this.capacity) {
        this.history = this.history.slice(this.start);
        this.start = 0;
      }
    }
    this.pending.push(event);
    this.drain();
  }

  /** Events of `table` with rv > after, oldest first. */
  eventsAfter(table: string, after: number): StoredEvent[] {
    let lo = this.start;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid]!.rv <= after) lo = mid + 1;
      else hi = mid;
    }
    const out: StoredEvent[] = [];
    for (let i = lo; i < this.history.length; i++) {
      const e = this.history[i]!;
      if (e.table === table) out.push(e);
    }
    return out;
  }

  add(watcher: Watcher): () => void {
    this.watchers.add(watcher);
    return () => {
      watcher.stopped = true;
      this.watchers.delete(watcher);
    };
  }

  /** Delivers one stored event to one watcher, translating selector transitions. */
  static deliverTo(watcher: Watcher, event: StoredEvent): void {
    if (watcher.stopped) return;
    const now = watcher.matches(event.object);
    let type: WatchEvent['type'] | undefined;
    if (event.type === 'MODIFIED') {
      const before = event.prev ? watcher.matches(event.prev) : true;
      type = before && now ? 'MODIFIED' : now ? 'ADDED' : before ? 'DELETED' : undefined;
    } else if (now) {
      type = event.type;
    }
    if (!type) return;
    try {
      watcher.deliver({ type, object: event.object });
    } catch {
      // A failing watcher must not break the store or other watchers.
    }
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let event = this.pending.shift(); event; event = this.pending.shift()) {
        for (const w of [...this.watchers]) {
          if (w.table !== event.table || event.rv <= w.lastRv) continue;
          w.lastRv = event.rv;
          WatchHub.deliverTo(w, event);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
