import { describe, expect, it } from 'vitest';
import { applyFailedStatus } from './apply-failed.js';
import { findCondition } from './upsert-condition.js';

const now = new Date('2026-01-02T03:04:05.678Z');

describe('applyFailedStatus', () => {
  it('sets Ready and Progressing to False/ApplyFailed with the message, keeping the rest', () => {
    const status = applyFailedStatus(
      {
        replicas: { desired: 1, ready: 1 },
        conditions: [
          { type: 'Ready', status: 'True', reason: 'Ready', lastTransitionTime: 'earlier' },
          { type: 'Degraded', status: 'False', reason: 'Healthy', lastTransitionTime: 'earlier' },
        ],
      },
      'Deployment.apps "m" is invalid: spec.template: bad',
      3,
      now,
    );
    expect(status.replicas).toEqual({ desired: 1, ready: 1 });
    for (const type of ['Ready', 'Progressing']) {
      expect(findCondition(status.conditions, type)).toEqual({
        type,
        status: 'False',
        reason: 'ApplyFailed',
        message: 'Deployment.apps "m" is invalid: spec.template: bad',
        observedGeneration: 3,
        lastTransitionTime: '2026-01-02T03:04:05Z',
      });
    }
    expect(findCondition(status.conditions, 'Degraded')?.lastTransitionTime).toBe('earlier');
  });

  it('keeps lastTransitionTime when the conditions were already False', () => {
    const first = applyFailedStatus({}, 'bad', 1, now);
    const again = applyFailedStatus(first, 'bad', 1, new Date('2026-02-01T00:00:00Z'));
    expect(again).toEqual(first);
  });
});
