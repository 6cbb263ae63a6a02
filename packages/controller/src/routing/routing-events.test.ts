import { describe, expect, it } from 'vitest';
import { readyStatus, type ReadyVerdict } from './ready-verdict.js';
import { readyTransitionEvents } from './routing-events.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:05:00Z');
const subject = { kind: 'Route' as const, name: 'chat', namespace: 'ns', uid: 'u' };
const missing: ReadyVerdict = { status: 'False', reason: 'ModelNotFound', message: 'no llama' };
const resolved: ReadyVerdict = { status: 'True', reason: 'Resolved', message: 'all resolve' };

describe('Route and Provider Ready', () => {
  it('keeps lastTransitionTime while the status does not change, and sets observedGeneration', () => {
    const first = readyStatus(undefined, 1, missing, T0);
    expect(first).toEqual({
      observedGeneration: 1,
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'ModelNotFound',
          message: 'no llama',
          observedGeneration: 1,
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    });
    const same = readyStatus(first, 2, { ...missing, message: 'still no llama' }, T1);
    expect(same.conditions?.[0]?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(same.observedGeneration).toBe(2);
    const ready = readyStatus(same, 2, resolved, T1);
    expect(ready.conditions?.[0]?.lastTransitionTime).toBe('2026-01-01T00:05:00Z');
  });

  it('warns on every not-Ready reason and notes becoming Ready, on the right kind', () => {
    const events = (
      prev: ReturnType<typeof readyStatus> | undefined,
      next: ReturnType<typeof readyStatus>,
    ) =>
      readyTransitionEvents(subject, prev, next, T1).map(
        (e) => `${e.type} ${e.reason} ${e.message}`,
      );
    const a = readyStatus(undefined, 1, missing, T0);
    expect(events(undefined, a)).toEqual(['Warning ModelNotFound Ready=False: no llama']);
    expect(events(a, readyStatus(a, 1, { ...missing, message: 'other' }, T1))).toEqual([]);
    const b = readyStatus(a, 1, resolved, T1);
    expect(events(a, b)).toEqual(['Normal Resolved Ready=True: all resolve']);
    expect(events(b, b)).toEqual([]);
    const e = readyTransitionEvents(subject, a, b, T1)[0]!;
    expect(e.involvedObject).toMatchObject({ kind: 'Route', name: 'chat', namespace: 'ns' });
  });
});
