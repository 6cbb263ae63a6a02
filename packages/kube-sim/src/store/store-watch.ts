import { present, tableKey } from './object-keys.js';
import { objectMatcher } from './object-matcher.js';
import { cloneJson } from './object-utils.js';
import type { ResourceType } from './resource-type.js';
import { badRequest, gone } from './status-error.js';
import type { StoreInternals } from './store-internals.js';
import type { StoreWatchOptions } from './store-options.js';
import type { ResourceRef, WatchEvent } from './types.js';
import { WatchHub, type Watcher } from './watch-hub.js';

/**
 * MemoryStore.watch: registers a watcher, first replaying the current objects (rv "0") or the
 * history after a resourceVersion (410 Gone when compacted); returns the stop function.
 */
export function startWatch(
  s: StoreInternals,
  type: ResourceType,
  ref: ResourceRef,
  options: StoreWatchOptions,
  onEvent: (event: WatchEvent) => void,
): () => void {
  const matches = objectMatcher({
    namespace: type.namespaced ? options.namespace : undefined,
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
  });
  const deliver = (event: WatchEvent): void => {
    const object = present(type, ref, event.object);
    onEvent({ type: event.type, object: options.shared ? object : cloneJson(object) });
  };
  const watcher: Watcher = {
    table: tableKey(type),
    lastRv: s.rv(),
    matches,
    deliver,
    stopped: false,
  };
  const rv = options.resourceVersion;
  if (rv === '0') {
    for (const key of s.keysOf(type)) {
      const obj = s.table(type).get(key)!;
      if (matches(obj))
        WatchHub.deliverTo(watcher, { rv: 0, table: watcher.table, type: 'ADDED', object: obj });
    }
  } else if (rv !== undefined && rv !== '') {
    const from = Number(rv);
    if (!Number.isInteger(from) || from < 0) throw badRequest(`invalid resource version: ${rv}`);
    if (from < s.hub.compactedRv) {
      throw gone(`too old resource version: ${from} (${s.hub.compactedRv})`);
    }
    for (const event of s.hub.eventsAfter(watcher.table, from)) WatchHub.deliverTo(watcher, event);
  }
  return s.hub.add(watcher);
}
