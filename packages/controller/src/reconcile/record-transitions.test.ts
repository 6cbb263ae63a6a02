import type { Condition, ModelStatus } from '@bascule/spec';
import { describe, expect, it } from 'vitest';
import { transitionEvents } from './record-transitions.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const model = { name: 'm', namespace: 'ns', uid: 'u' };
const status = (...conditions: Omit<Condition, 'lastTransitionTime'>[]): ModelStatus => ({
  conditions,
});
const events = (prev: ModelStatus | undefined, next: ModelStatus) =>
  transitionEvents(model, prev, next, NOW).map((e) => `${e.type} ${e.reason} ${e.message}`);

describe('transitionEvents', () => {
  it('says nothing about a normal start, then Normal when serving', () => {
    const pending = status(
      { type: 'Ready', status: 'False', reason: 'Pending', message: 'waiting' },
      { type: 'Degraded', status: 'False', reason: 'AsExpected' },
      { type: 'CapacityAvailable', status: 'True', reason: 'GPUsAvailable' },
    );
    expect(events(undefined, pending)).toEqual([]);
    const serving = status({
      type: 'Ready',
      status: 'True',
      reason: 'Serving',
      message: '1/1 replicas ready',
    });
    expect(events(pending, serving)).toEqual(['Normal Serving Ready=True: 1/1 replicas ready']);
    expect(events(serving, serving)).toEqual([]);
  });

  it('warns about problems and notes recoveries', () => {
    const short = status(
      { type: 'Ready', status: 'False', reason: 'InsufficientGPU', message: 'needs 8' },
      { type: 'CapacityAvailable', status: 'False', reason: 'InsufficientGPU', message: 'needs 8' },
    );
    expect(events(undefined, short)).toEqual([
      'Warning InsufficientGPU Ready=False: needs 8',
      'Warning InsufficientGPU CapacityAvailable=False: needs 8',
    ]);
    const fixed = status(
      { type: 'Ready', status: 'True', reason: 'Serving', message: 'ok' },
      { type: 'CapacityAvailable', status: 'True', reason: 'GPUsAvailable', message: 'fits' },
    );
    expect(events(short, fixed)).toEqual([
      'Normal Serving Ready=True: ok',
      'Normal GPUsAvailable CapacityAvailable=True: fits',
    ]);
    const degraded = status({
      type: 'Degraded',
      status: 'True',
      reason: 'NodeNotReady',
      message: 'node down',
    });
    expect(events(fixed, degraded)).toEqual(['Warning NodeNotReady Degraded=True: node down']);
    const e = transitionEvents(model, fixed, degraded, NOW)[0]!;
    expect(e.involvedObject).toEqual({
      apiVersion: 'bascule.dev/v1alpha1',
      kind: 'Model',
      name: 'm',
      namespace: 'ns',
      uid: 'u',
    });
  });
});
