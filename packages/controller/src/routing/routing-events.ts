import type { CoreV1Event } from '@kubernetes/client-node';
import { findCondition } from '../status/upsert-condition.js';
import { conditionEvent, type EventSubject } from '../reconcile/record-transitions.js';
import type { ReadyStatus } from './ready-verdict.js';

/**
 * Events for a Route's or a Provider's Ready transitions (pure): a Warning whenever it becomes
 * not Ready or the reason changes (every not-Ready reason needs a person), a Normal when it
 * becomes Ready.
 */
export function readyTransitionEvents(
  subject: EventSubject,
  previous: ReadyStatus | undefined,
  next: ReadyStatus,
  now: Date,
): CoreV1Event[] {
  const after = findCondition(next.conditions, 'Ready');
  if (!after) return [];
  const before = findCondition(previous?.conditions, 'Ready');
  if (before?.status === after.status && before.reason === after.reason) return [];
  if (after.status === 'True') {
    return before?.status === 'True'
      ? []
      : [conditionEvent(subject, 'Ready', after, 'Normal', now)];
  }
  return [conditionEvent(subject, 'Ready', after, 'Warning', now)];
}
