import { describe, expect, it } from 'vitest';
import { StatusError, type KubeObject } from '../../store/index.js';
import { builtinListStrategy } from '../patch/list-strategy.js';
import { fieldsOf, fromFieldsV1, toFieldsV1 } from './field-set.js';
import { parseManagedFields, trackUpdate } from './managed-fields.js';
import { serverSideApply, type ApplyRequest } from './server-side-apply.js';

const now = new Date('2026-01-01T00:00:00Z');
const base = (
  live: KubeObject | undefined,
  applied: Record<string, unknown>,
  manager: string,
  force = false,
): ApplyRequest => ({
  live,
  applied,
  manager,
  force,
  apiVersion: 'apps/v1',
  resolve: builtinListStrategy,
  scope: 'main',
  now,
});
const cfg = (
  spec: Record<string, unknown>,
  labels?: Record<string, string>,
): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', namespace: 'default', ...(labels ? { labels } : {}) },
  spec,
});

describe('server-side apply', () => {
  it('round-trips field sets through fieldsV1', () => {
    const set = fieldsOf(
      cfg({ template: { spec: { containers: [{ name: 'a', image: 'x' }] } } }, { l: 'v' }),
      builtinListStrategy,
      'main',
    );
    expect(fromFieldsV1(toFieldsV1(set))).toEqual(set);
    expect(toFieldsV1(set)).toMatchObject({
      'f:spec': {
        'f:template': {
          'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:image': {} } } },
        },
      },
    });
  });

  it('merges managers, removes fields a manager stops applying, and reports conflicts', () => {
    const a = serverSideApply(base(undefined, cfg({ replicas: 2 }, { owner: 'a' }), 'a'));
    const ab = serverSideApply(base(a, cfg({ paused: false }, { team: 'b' }), 'b'));
    expect(ab.metadata.labels).toEqual({ owner: 'a', team: 'b' });
    expect(ab['spec']).toEqual({ replicas: 2, paused: false });
    expect(parseManagedFields(ab.metadata.managedFields).map((e) => e.manager)).toEqual(['a', 'b']);

    const dropped = serverSideApply(base(ab, cfg({}, { owner: 'a' }), 'a'));
    expect(dropped['spec']).toEqual({ paused: false });

    let err: unknown;
    try {
      serverSideApply(base(ab, cfg({ replicas: 3 }), 'b'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(409);
    expect((err as StatusError).message).toBe(
      'Apply failed with 1 conflict: conflict with "a" using apps/v1: .spec.replicas',
    );
    const shared = serverSideApply(
      base(ab, cfg({ replicas: 2, paused: false }, { team: 'b' }), 'b'),
    );
    expect(shared['spec']).toEqual({ replicas: 2, paused: false });
    const forced = serverSideApply(
      base(ab, cfg({ replicas: 3, paused: false }, { team: 'b' }), 'b', true),
    );
    expect((forced['spec'] as { replicas: number }).replicas).toBe(3);
    const owners = parseManagedFields(forced.metadata.managedFields);
    expect(owners.find((e) => e.manager === 'a')!.fields.size).toBeLessThan(
      owners.find((e) => e.manager === 'b')!.fields.size,
    );
  });

  it('gives changed fields to the updating manager', () => {
    const a = serverSideApply(base(undefined, cfg({ replicas: 2 }), 'a'));
    const next = { ...a, spec: { replicas: 5 } };
    const entries = trackUpdate(a, next, parseManagedFields(a.metadata.managedFields), {
      manager: 'kubectl-scale',
      apiVersion: 'apps/v1',
      resolve: builtinListStrategy,
      scope: 'main',
      now,
    });
    expect(entries.map((e) => `${e.manager}:${e.operation}`)).toEqual(['kubectl-scale:Update']);
  });

  it('leaves the object as it is when the same configuration is applied again (idempotent)', () => {
    const first = serverSideApply(base(undefined, cfg({ replicas: 2 }), 'a'));
    const later = {
      ...base(first, cfg({ replicas: 2 }), 'a'),
      now: new Date('2026-01-02T00:00:00Z'),
    };
    expect(serverSideApply(later)).toEqual(first);
    const changed = serverSideApply({ ...later, applied: cfg({ replicas: 3 }) });
    expect(parseManagedFields(changed.metadata.managedFields)[0]!.time).toBe(
      '2026-01-02T00:00:00Z',
    );
  });
});
