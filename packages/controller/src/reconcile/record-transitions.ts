import type { CoreV1Event } from '@kubernetes/client-node';
import { API_VERSION, type Condition, type ModelStatus } from '@bascule/spec';
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

export type EventKind = 'Normal' | 'Warning';
type Kind = EventKind;

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

/** The object an Event is about (a Model unless `kind` says otherwise). */
export interface EventSubject {
  kind?: 'Model' | 'Route' | 'Provider';
  name: string;
  namespace: string;
  uid: string;
}

/** One Event about a condition of an object ("Ready=False: <message>"). */
export function conditionEvent(
  subject: EventSubject,
  type: string,
  condition: Condition,
  kind: Kind,
  now: Date,
): CoreV1Event {
  return {
    metadata: { generateName: `${subject.name}.`, namespace: subject.namespace },
    involvedObject: {
      apiVersion: API_VERSION,
      kind: subject.kind ?? 'Model',
      name: subject.name,
      namespace: subject.namespace,
      uid: subject.uid,
    },
    type: kind,
    reason: condition.reason ?? type,
    message: `${type}=${condition.status}: ${condition.message ?? ''}`,
    source: { component: 'bascule-controller' },
    reportingComponent: 'bascule-controller',
    reportingInstance: 'bascule-controller',
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  };
}

/**
 * Kubernetes Events for the condition changes worth a line in `kubectl describe model`:
 * problems (Warning) and recoveries (Normal), not every step of a normal start (pure).
 */
export function transitionEvents(
  model: EventSubject,
  previous: ModelStatus | undefined,
  next: ModelStatus,
  now: Date,
): CoreV1Event[] {
  const events: CoreV1Event[] = [];
  for (const type of ['Ready', 'Degraded', 'CapacityAvailable']) {
    const after = findCondition(next.conditions, type);
    if (!after) continue;
    const kind = eventType(type, findCondition(previous?.conditions, type), after);
    if (kind) events.push(conditionEvent(model, type, after, kind, now));
  }
  return events;
}
