// Writes core/v1 Events as the real components do (involvedObject, reason, message, source,
// count, first/lastTimestamp), folding repeats of the same event into one with a growing count.
import { kubeTime } from './kube-time.js';
import type { KubeObject, ObjectStore } from '../store/types.js';
import { RESOURCES } from './kube-types.js';

export interface EventSource {
  component: string;
  host?: string;
}

export interface EventRecorder {
  record(
    object: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath?: string,
  ): void;
}

const MAX_TRACKED = 5_000;

export function createEventRecorder(
  store: ObjectStore,
  now: () => Date = () => new Date(),
): EventRecorder {
  const seen = new Map<string, { namespace: string; name: string }>();
  let sequence = 0;
  return {
    record(object, type, reason, message, source, fieldPath) {
      const namespace = object.metadata.namespace ?? 'default';
      const time = kubeTime(now());
      const key = [
        object.metadata.uid,
        fieldPath,
        type,
        reason,
        message,
        source.component,
        source.host,
      ].join('\u0000');
      const previous = seen.get(key);
      try {
        if (previous) {
          const existing = store.get(RESOURCES.events, previous.namespace, previous.name);
          if (existing) {
            existing.count = Number(existing.count ?? 1) + 1;
            existing.lastTimestamp = time;
            store.update(RESOURCES.events, existing);
            return;
          }
        }
        sequence += 1;
        const name = `${object.metadata.name ?? 'unknown'}.${(Date.now() * 1000 + (sequence % 1000)).toString(16)}`;
        const involvedObject: Record<string, unknown> = {
          kind: object.kind,
          name: object.metadata.name,
          uid: object.metadata.uid,
          apiVersion: object.apiVersion,
          resourceVersion: object.metadata.resourceVersion,
        };
        if (object.metadata.namespace) involvedObject.namespace = object.metadata.namespace;
        if (fieldPath) involvedObject.fieldPath = fieldPath;
        store.create(RESOURCES.events, {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace },
          involvedObject,
          reason,
          message,
          source: source.host
            ? { component: source.component, host: source.host }
            : { component: source.component },
          firstTimestamp: time,
          lastTimestamp: time,
          count: 1,
          type,
          eventTime: null,
          reportingComponent: source.component,
          reportingInstance: source.host ?? '',
        });
        if (seen.size >= MAX_TRACKED) seen.delete(seen.keys().next().value ?? '');
        seen.set(key, { namespace, name });
      } catch {
        // Events are best effort, as in Kubernetes (e.g. the namespace is being deleted).
      }
    },
  };
}
