import { describe, expect, it } from 'vitest';
import { StatusError } from '../../store/index.js';
import { applyJsonPatch } from './json-patch.js';
import { builtinListStrategy, schemaListStrategy } from './list-strategy.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

const podSpec = {
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1',
        env: [{ name: 'A', value: '1' }],
        ports: [{ containerPort: 80 }],
      },
      { name: 'side', image: 'busybox' },
    ],
    tolerations: [{ key: 'a', operator: 'Exists' }],
  },
  metadata: { finalizers: ['x'], labels: { a: '1', b: '2' } },
};

describe('strategic merge patch', () => {
  it('merges containers by name, env by name and ports by containerPort', () => {
    const out = applyStrategicMergePatch(
      podSpec,
      {
        spec: {
          containers: [
            {
              name: 'web',
              env: [{ name: 'B', value: '2' }],
              ports: [{ containerPort: 80, name: 'http' }],
            },
            { name: 'new', image: 'redis' },
          ],
        },
      },
      builtinListStrategy,
    ) as typeof podSpec & { spec: { containers: Array<Record<string, unknown>> } };
    expect(out.spec.containers.map((c) => c['name'])).toEqual(['web', 'side', 'new']);
    expect(out.spec.containers[0]).toEqual({
      name: 'web',
      image: 'nginx:1',
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      ports: [{ containerPort: 80, name: 'http' }],
    });
  });

  it('honours $patch delete/replace, $setElementOrder, $deleteFromPrimitiveList, null and atomic lists', () => {
    const out = applyStrategicMergePatch(
      podSpec,
      {
        metadata: { labels: { b: null }, '$deleteFromPrimitiveList/finalizers': ['x'] },
        spec: {
          containers: [{ name: 'side', $patch: 'delete' }],
          '$setElementOrder/containers': [{ name: 'web' }],
          tolerations: [{ key: 'b', operator: 'Exists' }],
        },
      },
      builtinListStrategy,
    ) as { metadata: Record<string, unknown>; spec: Record<string, unknown[]> };
    expect(out.metadata['labels']).toEqual({ a: '1' });
    expect(out.metadata['finalizers']).toEqual([]);
    expect((out.spec['containers'] as Array<{ name: string }>).map((c) => c.name)).toEqual(['web']);
    expect(out.spec['tolerations']).toEqual([{ key: 'b', operator: 'Exists' }]);
    const replaced = applyStrategicMergePatch(
      podSpec,
      { spec: { $patch: 'replace', containers: [] } },
      builtinListStrategy,
    );
    expect((replaced as { spec: unknown }).spec).toEqual({ containers: [] });
  });

  it('uses x-kubernetes-list-type from a CRD schema', () => {
    const resolve = schemaListStrategy({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            targets: {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['name'],
              items: { type: 'object' },
            },
            tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
          },
        },
      },
    });
    expect(resolve(['spec', 'targets'], [])).toEqual({ type: 'map', keys: ['name'] });
    expect(resolve(['spec', 'tags'], [])).toEqual({ type: 'set' });
    expect(resolve(['spec', 'other'], [])).toEqual({ type: 'atomic' });
  });
});

describe('JSON merge patch and JSON patch', () => {
  it('applies RFC 7386 merge patches (null deletes, lists replace)', () => {
    expect(
      applyMergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null, e: 4 }, l: [3] }),
    ).toEqual({
      a: 1,
      b: { d: 3, e: 4 },
      l: [3],
    });
  });

  it('applies RFC 6902 operations and fails a test operation with 422', () => {
    const doc = { spec: { replicas: 1, list: ['a', 'b'] } };
    expect(
      applyJsonPatch(doc, [
        { op: 'replace', path: '/spec/replicas', value: 3 },
        { op: 'add', path: '/spec/list/-', value: 'c' },
        { op: 'remove', path: '/spec/list/0' },
        { op: 'copy', from: '/spec/replicas', path: '/spec/copied' },
        { op: 'move', from: '/spec/copied', path: '/spec/moved' },
        { op: 'test', path: '/spec/moved', value: 3 },
      ]),
    ).toEqual({ spec: { replicas: 3, list: ['b', 'c'], moved: 3 } });
    expect(doc.spec.replicas).toBe(1);
    let err: unknown;
    try {
      applyJsonPatch(doc, [{ op: 'test', path: '/spec/replicas', value: 2 }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(422);
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/missing/x' }])).toThrow(
      /missing/,
    );
  });
});
