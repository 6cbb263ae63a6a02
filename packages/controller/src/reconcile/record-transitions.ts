import type { CoreV1Api, CoreV1Event } from '@kubernetes/client-node';
import { API_VERSION, type Condition, type ModelStatus } from '@modelplane/spec';
import { findCondition } from '../status/upsert-condition.js';

/** Ready=False reasons a person must act on (the others are progress: Pending, Loading...). */
const READY_PROBLEMS = new Set([
  'InsufficientGPU',
  'NoMatchingNodes',
  'InsufficientResources',
  'ImagePullError',
  'EngineCrashLooping',
  'InvalidSpec',
  'UnknownGPUType',
  'NameConflict',
  'ApplyFailed',
]);

type Kind = 'Normal' | 'Warning';

/** Which change of one condition deserves an event, and of which type. */
function eventType(
  type: string,
  before: Condition | undefined,
  after: Condition,
): Kind | undefined {
  const changed = before?.status !== after.status || before?.reason !== after.reason;
  if (!changed) return undefined;
  const was = before?.status;
  switch (type) {
    case 'Ready':
      if (after.status === 'True') return was === 'True' ? undefined : 'Normal';
      if (READY_PROBLEMS.has(after.reason ?? '')) return 'Warning';
      return after.reason === 'ScaledToZero' && before ? 'Normal' : undefined;
    case 'Degraded':
      if (after.status === 'True') return 'Warning';
      return was === 'True' ? 'Normal' : undefined;
    case 'CapacityAvailable':
      if (after.status === 'False') return 'Warning';
      return was === 'False' ? 'Normal' : undefined;
    default:
      return undefined;
  }
}

/**
 * Kubernetes Events for the condition changes worth a line in `kubectl describe model`:
 * problems (Warning) and recoveries (Normal), not every step of a normal start (pure).
 */
export function transitionEvents(
  model: { name: string; namespace: string; uid: string },
  previous: ModelStatus | undefined,
  next: ModelStatus,
  now: Date,
): CoreV1Event[] {
  const events: CoreV1Event[] = [];
  for (const type of ['Ready', 'Degraded', 'CapacityAvailable']) {
    const after = findCondition(next.conditions, type);
    if (!after) continue;
    const kind = eventType(type, findCondition(previous?.conditions, type), after);
    if (!kind) continue;
    events.push({
      metadata: { generateName: `${model.name}.`, namespace: model.namespace },
      involvedObject: {
        apiVersion: API_VERSION,
        kind: 'Model',
        name: model.name,
        namespace: model.namespace,
        uid: model.uid,
      },
      type: kind,
      reason: after.reason ?? type,
      message: `${type}=${after.status}: ${after.message ?? ''}`,
      source: { component: 'modelplane-controller' },
      reportingComponent: 'modelplane-controller',
      reportingInstance: 'modelplane-controller',
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
  }
  return events;
}

/** Writes the events; an event that cannot be written never fails a reconcile. */
export async function recordEvents(
  core: CoreV1Api,
  events: readonly CoreV1Event[],
  onError: (err: unknown) => void,
): Promise<void> {
  for (const body of events) {
    try {
      await core.createNamespacedEvent({ namespace: body.metadata.namespace ?? 'default', body });
    } catch (err) {
      onError(err);
    }
  }
}
