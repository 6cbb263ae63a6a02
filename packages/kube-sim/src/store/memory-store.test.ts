import { describe, expect, it } from 'vitest';
import { createStore } from './create-store.js';
import { StatusError } from './status-error.js';
import type { KubeObject, WatchEvent } from './types.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const DEPLOYS = { group: 'apps', version: 'v1', resource: 'deployments' };
const RS = { group: 'apps', version: 'v1', resource: 'replicasets' };
const CM = { group: '', version: 'v1', resource: 'configmaps' };
const CRDS = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
};
const WIDGETS = { group: 'example.com', version: 'v1', resource: 'widgets' };

function pod(name: string, labels: Record<string, string> = {}, nodeName?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...(nodeName ? { nodeName } : {}) },
  };
}

function deployment(name: string, replicas = 1): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } } },
    },
  };
}

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('MemoryStore', () => {
  it('creates with uid, resourceVersion, creationTimestamp and generateName', () => {
    const store = createStore();
    const a = store.create(PODS, pod('a'));
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(a.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(a.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(a['status']).toEqual({ phase: 'Pending' });
    const g = store.create(PODS, {
      ...pod(''),
      metadata: { generateName: 'web-', namespace: 'default' },
    });
    expect(g.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(statusOf(() => store.create(PODS, pod('a'))).reason).toBe('AlreadyExists');
    const missingNs = statusOf(() =>
      store.create(PODS, { ...pod('x'), metadata: { name: 'x', namespace: 'nope' } }),
    );
    expect(missingNs.code).toBe(404);
    expect(missingNs.message).toBe('namespaces "nope" not found');
    const bad = statusOf(() => store.create(PODS, { ...pod('Bad_Name') }));
    expect(bad.code).toBe(422);
    expect(bad.causes[0]?.field).toBe('metadata.name');
  });

  it('bumps generation on spec changes only and keeps status on plain updates', () => {
    const store = createStore();
    const d = store.create(DEPLOYS, deployment('web'));
    expect(d.metadata.generation).toBe(1);
    const labelled = store.update(DEPLOYS, {
      ...d,
      metadata: { ...d.metadata, labels: { a: 'b' } },
    });
    expect(labelled.metadata.generation).toBe(1);
    const withStatus = store.update(
      DEPLOYS,
      { ...labelled, status: { replicas: 3 } },
      { subresource: 'status' },
    );
    expect(withStatus.metadata.generation).toBe(1);
    expect(withStatus['status']).toEqual({ replicas: 3 });
    const scaled = store.update(DEPLOYS, {
      ...withStatus,
      spec: { ...(withStatus['spec'] as object), replicas: 5 },
      status: { replicas: 99 },
    });
    expect(scaled.metadata.generation).toBe(2);
    expect(scaled['status']).toEqual({ replicas: 3 });
    const same = store.update(DEPLOYS, scaled);
    expect(same.metadata.resourceVersion).toBe(scaled.metadata.resourceVersion);
  });

  it('rejects a stale resourceVersion with 409 Conflict', () => {
    const store = createStore();
    const a = store.create(CM, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { k: '1' },
    });
    store.update(CM, { ...a, data: { k: '2' } });
    const err = statusOf(() => store.update(CM, { ...a, data: { k: '3' } }));
    expect(err.code).toBe(409);
    expect(err.reason).toBe('Conflict');
    expect(err.message).toBe(
      'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('serves the scale subresource', () => {
    const store = createStore();
    store.create(DEPLOYS, deployment('web', 2));
    const scale = store.getScale(DEPLOYS, 'default', 'web');
    expect(scale).toMatchObject({
      kind: 'Scale',
      spec: { replicas: 2 },
      status: { selector: 'app=web' },
    });
    const updated = store.update(
      DEPLOYS,
      { ...scale, spec: { replicas: 4 } },
      { subresource: 'scale' },
    );
    expect(updated['spec']).toEqual({ replicas: 4 });
    const d = store.get(DEPLOYS, 'default', 'web');
    expect((d?.['spec'] as { replicas: number }).replicas).toBe(4);
    expect(d?.metadata.generation).toBe(2);
  });

  it('lists with label and field selectors and paginates with limit/continue', () => {
    const store = createStore();
    for (let i = 0; i < 7; i++)
      store.create(PODS, pod(`p${i}`, { app: i % 2 ? 'odd' : 'even' }, `node-${i % 3}`));
    expect(
      store.list(PODS, { labelSelector: 'app=odd' }).items.map((p) => p.metadata.name),
    ).toEqual(['p1', 'p3', 'p5']);
    expect(store.list(PODS, { labelSelector: 'app in (odd),app!=even' }).items).toHaveLength(3);
    expect(store.list(PODS, { fieldSelector: 'spec.nodeName=node-0' }).items).toHaveLength(3);
    expect(store.list(PODS, { fieldSelector: 'metadata.name=p2' }).items).toHaveLength(1);
    expect(store.list(PODS, { fieldSelector: 'status.phase!=Pending' }).items).toHaveLength(0);
    expect(store.list(PODS, { namespace: 'kube-system' }).items).toHaveLength(0);
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = store.list(PODS, { limit: 3, ...(token ? { continue: token } : {}) });
      names.push(...page.items.map((p) => p.metadata.name ?? ''));
      token = page.continue;
      pages++;
    } while (token && pages < 10);
    expect(names).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    expect(pages).toBe(3);
    expect(statusOf(() => store.list(PODS, { labelSelector: 'a in b' })).code).toBe(400);
  });

  it('watches from a version, from now, with replay, and answers 410 for too old versions', () => {
    const store = createStore({ historySize: 5 });
    const first = store.create(PODS, pod('a'));
    const events: WatchEvent[] = [];
    const stop = store.watch(PODS, { resourceVersion: first.metadata.resourceVersion }, (e) =>
      events.push(e),
    );
    store.create(PODS, pod('b'));
    store.delete(PODS, 'default', 'a');
    expect(events.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual([
      'ADDED:b',
      'DELETED:a',
    ]);
    stop();
    const replay: WatchEvent[] = [];
    store.watch(PODS, { resourceVersion: '0' }, (e) => replay.push(e))();
    expect(replay.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual(['ADDED:b']);
    const late: WatchEvent[] = [];
    const stopLate = store.watch(PODS, { resourceVersion: first.metadata.resourceVersion }, (e) =>
      late.push(e),
    );
    expect(late.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    stopLate();
    for (let i = 0; i < 10; i++)
      store.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` } });
    const err = statusOf(() =>
      store.watch(PODS, { resourceVersion: first.metadata.resourceVersion }, () => {}),
    );
    expect(err.code).toBe(410);
    expect(err.reason).toBe('Expired');
  });

  it('turns selector transitions into ADDED and DELETED events', () => {
    const store = createStore();
    const events: string[] = [];
    store.watch(PODS, { labelSelector: 'tier=web' }, (e) =>
      events.push(`${e.type}:${e.object.metadata.name}`),
    );
    const p = store.create(PODS, pod('a', { tier: 'db' }));
    const moved = store.update(PODS, {
      ...p,
      metadata: { ...p.metadata, labels: { tier: 'web' } },
    });
    store.update(PODS, { ...moved, metadata: { ...moved.metadata, labels: { tier: 'db' } } });
    expect(events).toEqual(['ADDED:a', 'DELETED:a']);
  });

  it('delivers events in order when a watcher writes from its callback', () => {
    const store = createStore();
    const seen: string[] = [];
    store.watch(CM, {}, (e) => {
      if (e.object.metadata.name === 'a' && e.type === 'ADDED') {
        store.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
      }
    });
    store.watch(CM, {}, (e) =>
      seen.push(`${e.type}:${e.object.metadata.name}:${e.object.metadata.resourceVersion}`),
    );
    store.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    const rvs = seen.map((s) => Number(s.split(':')[2]));
    expect(seen.map((s) => s.split(':').slice(0, 2).join(':'))).toEqual(['ADDED:a', 'ADDED:b']);
    expect(rvs[0]).toBeLessThan(rvs[1]!);
  });

  it('honours finalizers', () => {
    const store = createStore();
    const c = store.create(CM, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'f', finalizers: ['example.com/hold'] },
    });
    const deleting = store.delete(CM, 'default', 'f');
    expect(deleting?.metadata.deletionTimestamp).toBeDefined();
    const held = store.get(CM, 'default', 'f')!;
    expect(held.metadata.deletionTimestamp).toBeDefined();
    expect(c.metadata.uid).toBe(held.metadata.uid);
    store.update(CM, { ...held, metadata: { ...held.metadata, finalizers: [] } });
    expect(store.get(CM, 'default', 'f')).toBeUndefined();
  });

  it('collects dependents in background, foreground and orphan modes', () => {
    const store = createStore();
    const build = (name: string): { d: KubeObject; rs: KubeObject; p: KubeObject } => {
      const d = store.create(DEPLOYS, deployment(name));
      const own = (o: KubeObject, kind: string) => [
        {
          apiVersion: o.apiVersion,
          kind,
          name: o.metadata.name!,
          uid: o.metadata.uid!,
          controller: true,
          blockOwnerDeletion: true,
        },
      ];
      const rs = store.create(RS, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `${name}-rs`, ownerReferences: own(d, 'Deployment') },
        spec: { ...(d['spec'] as object), replicas: 1 },
      });
      const p = store.create(PODS, {
        ...pod(`${name}-pod`),
        metadata: {
          name: `${name}-pod`,
          finalizers: ['hold'],
          ownerReferences: own(rs, 'ReplicaSet'),
        },
      });
      return { d, rs, p };
    };
    build('bg');
    store.delete(DEPLOYS, 'default', 'bg');
    expect(store.get(RS, 'default', 'bg-rs')).toBeUndefined();
    expect(store.get(PODS, 'default', 'bg-pod')?.metadata.deletionTimestamp).toBeDefined();

    build('fg');
    store.delete(DEPLOYS, 'default', 'fg', { propagationPolicy: 'Foreground' });
    expect(store.get(DEPLOYS, 'default', 'fg')?.metadata.finalizers).toEqual([
      'foregroundDeletion',
    ]);
    const podFg = store.get(PODS, 'default', 'fg-pod')!;
    store.update(PODS, { ...podFg, metadata: { ...podFg.metadata, finalizers: [] } });
    expect(store.get(RS, 'default', 'fg-rs')).toBeUndefined();
    expect(store.get(DEPLOYS, 'default', 'fg')).toBeUndefined();

    build('or');
    store.delete(DEPLOYS, 'default', 'or', { propagationPolicy: 'Orphan' });
    expect(store.get(DEPLOYS, 'default', 'or')).toBeUndefined();
    expect(store.get(RS, 'default', 'or-rs')?.metadata.ownerReferences).toBeUndefined();
  });

  it('serves CRD resources with schema pruning, defaults and validation', () => {
    const store = createStore();
    const crd = store.create(CRDS, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    required: ['size'],
                    properties: {
                      size: { type: 'integer', minimum: 1 },
                      color: { type: 'string', enum: ['red', 'blue'], default: 'red' },
                    },
                  },
                  status: { type: 'object', properties: { ready: { type: 'boolean' } } },
                },
              },
            },
          },
        ],
      },
    });
    expect(
      (crd['status'] as { conditions: Array<{ type: string }> }).conditions.map((c) => c.type),
    ).toContain('Established');
    const w = store.create(WIDGETS, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1' },
      spec: { size: 2, extra: true },
    });
    expect(w['spec']).toEqual({ size: 2, color: 'red' });
    const strict = statusOf(() =>
      store.create(
        WIDGETS,
        {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w2' },
          spec: { size: 1, extra: 1 },
        },
        { fieldValidation: 'Strict' },
      ),
    );
    expect(strict.code).toBe(400);
    expect(strict.message).toContain('unknown field "spec.extra"');
    const inv = statusOf(() =>
      store.create(WIDGETS, {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w3' },
        spec: { size: 0, color: 'green' },
      }),
    );
    expect(inv.code).toBe(422);
    expect(inv.causes.map((c) => c.field).sort()).toEqual(['spec.color', 'spec.size']);
    store.delete(CRDS, undefined, 'widgets.example.com');
    expect(statusOf(() => store.list(WIDGETS)).code).toBe(404);
  });

  it('drops or rejects unknown metadata and built-in top-level fields per fieldValidation', () => {
    const store = createStore();
    const typo = {
      ...pod('typo'),
      metadata: { name: 'typo', lables: { a: 'b' } },
      extra: 1,
    } as KubeObject;
    const strict = statusOf(() => store.create(PODS, typo, { fieldValidation: 'Strict' }));
    expect(strict.code).toBe(400);
    expect(strict.message).toBe(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "metadata.lables", unknown field "extra"',
    );
    const warnings: string[] = [];
    const created = store.create(PODS, typo, { fieldValidation: 'Warn', warnings });
    expect(warnings).toEqual(['unknown field "metadata.lables"', 'unknown field "extra"']);
    expect(created['extra']).toBeUndefined();
    expect(created.metadata).not.toHaveProperty('lables');
  });
});
