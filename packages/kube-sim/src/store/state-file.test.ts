// kube-sim's state file: a store written to a file and restored into a fresh store is the same
// cluster (uids, resourceVersions, generations, CRD-served resources), minus the simulated
// runtime objects; the resourceVersion counter continues; writes are atomic, debounced and 0600.
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from './create-store.js';
import type { MemoryStore } from './memory-store.js';
import { persistStore } from './persist-store.js';
import { keepInStateFile } from './persisted-resources.js';
import { readStateFile, StateFileError, writeStateFile } from './state-file.js';
import { StatusError } from './status-error.js';
import type { KubeObject, WatchEvent } from './types.js';
import { waitFor } from '@bascule/test-support';

const ref = (group: string, resource: string, version = 'v1') => ({ group, version, resource });
const CRDS = ref('apiextensions.k8s.io', 'customresourcedefinitions');
const WIDGETS = ref('example.com', 'widgets');
const DEPLOYS = ref('apps', 'deployments');
const RS = ref('apps', 'replicasets');
const PODS = ref('', 'pods');
const SECRETS = ref('', 'secrets');
const NAMESPACES = ref('', 'namespaces');
const LEASES = ref('coordination.k8s.io', 'leases');

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kube-sim-state-'));
  file = join(dir, 'kube', 'state.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const meta = (name: string, extra: Partial<KubeObject['metadata']> = {}) => ({
  name,
  namespace: 'team-a',
  ...extra,
});

function populate(store: MemoryStore) {
  store.create(CRDS, {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', properties: { size: { type: 'integer' } } },
              },
            },
          },
        },
      ],
    },
  });
  store.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
  const widget = store.create(WIDGETS, {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: meta('w1'),
    spec: { size: 1 },
  });
  store.update(WIDGETS, { ...widget, spec: { size: 3 } }); // generation 2
  store.create(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta('token'),
    data: { token: Buffer.from('s3cret').toString('base64') },
  });
  const dep = store.create(DEPLOYS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web'),
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } } },
    },
  });
  const owner = (o: KubeObject) => [
    {
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata.name!,
      uid: o.metadata.uid!,
      controller: true,
    },
  ];
  const rs = store.create(RS, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta('web-abc', { ownerReferences: owner(dep) }),
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } } },
    },
  });
  store.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('web-abc-1', { ownerReferences: owner(rs) }),
    spec: { containers: [{ name: 'c', image: 'x' }] },
  });
  store.create(LEASES, {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'node-1', namespace: 'kube-node-lease' },
    spec: {},
  });
  store.create(LEASES, {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: meta('leader'),
    spec: { holderIdentity: 'me' },
  });
}

function restored(): MemoryStore {
  const store = createStore();
  store.restore(readStateFile(file)!);
  return store;
}

describe('kube-sim state file', () => {
  it('round trip: the same objects, uids, resourceVersions and generations; no Pods or node Leases', () => {
    const before = createStore();
    populate(before);
    writeStateFile(file, before.snapshot(keepInStateFile));
    const after = restored();
    for (const [r, ns, name] of [
      [CRDS, undefined, 'widgets.example.com'],
      [NAMESPACES, undefined, 'team-a'],
      [NAMESPACES, undefined, 'default'],
      [WIDGETS, 'team-a', 'w1'],
      [SECRETS, 'team-a', 'token'],
      [DEPLOYS, 'team-a', 'web'],
      [RS, 'team-a', 'web-abc'],
      [LEASES, 'team-a', 'leader'],
    ] as const) {
      expect(after.get(r, ns, name), `${r.resource}/${name}`).toEqual(before.get(r, ns, name));
    }
    expect(after.get(WIDGETS, 'team-a', 'w1')?.metadata.generation).toBe(2);
    expect(after.count(PODS)).toBe(0);
    expect(after.get(LEASES, 'kube-node-lease', 'node-1')).toBeUndefined();
    // The CRD's resource is served again: a new Widget validates against its schema.
    expect(() =>
      after.create(WIDGETS, {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: meta('w2'),
        spec: { size: 'big' },
      }),
    ).toThrow(StatusError);
    // Ownership is indexed: deleting the Deployment collects its restored ReplicaSet.
    after.delete(DEPLOYS, 'team-a', 'web');
    expect(after.get(RS, 'team-a', 'web-abc')).toBeUndefined();
  });

  it('continues the resourceVersion counter: new writes are newer, old watches get 410 Gone', () => {
    const before = createStore();
    populate(before);
    // Deletions advance the counter too: it must continue above them, not above the objects.
    before.delete(PODS, 'team-a', 'web-abc-1');
    const last = Number(before.currentResourceVersion());
    writeStateFile(file, before.snapshot(keepInStateFile));
    const after = restored();
    expect(after.currentResourceVersion()).toBe(String(last));
    const events: WatchEvent[] = [];
    after.watch(SECRETS, { namespace: 'team-a', resourceVersion: String(last) }, (e) =>
      events.push(e),
    );
    const created = after.create(SECRETS, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('more'),
    });
    expect(Number(created.metadata.resourceVersion)).toBe(last + 1);
    expect(events.map((e) => e.object.metadata.name)).toEqual(['more']);
    let status = 0;
    try {
      after.watch(SECRETS, { resourceVersion: String(last - 3) }, () => undefined);
    } catch (err) {
      status = (err as StatusError).code;
    }
    expect(status).toBe(410);
    // An update carrying the resourceVersion a client read before the restart still applies.
    const lease = before.get(LEASES, 'team-a', 'leader')!;
    const renewed = after.update(LEASES, {
      ...lease,
      spec: { holderIdentity: 'me', leaseDurationSeconds: 15 },
    });
    expect(Number(renewed.metadata.resourceVersion)).toBe(last + 2);
  });

  it('writes atomically with mode 0600, leaving no temporary file, and keeps the old file if a write fails', () => {
    const store = createStore();
    populate(store);
    writeStateFile(file, store.snapshot(keepInStateFile));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'kube'))).toEqual(['state.json']);
    const good = readStateFile(file);
    // The temporary file's name is taken by a directory: the write fails, the old file stays.
    mkdirSync(`${file}.tmp-${process.pid}/x`, { recursive: true });
    expect(() => writeStateFile(file, { resourceVersion: 1, resources: [] })).toThrow();
    expect(readStateFile(file)).toEqual(good);
  });

  it('writes once per burst of changes (debounced), on close, and not for Pod changes', async () => {
    const store = createStore();
    const persister = persistStore(store, { file, debounceMs: 50 });
    for (let i = 0; i < 20; i++)
      store.create(SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: `s${i}` } });
    await waitFor('the first write', () => persister.writes > 0, 10_000);
    expect(persister.writes).toBe(1);
    expect(
      readStateFile(file)!.resources.find((r) => r.resource === 'secrets')?.items,
    ).toHaveLength(20);
    store.create(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    persister.flush();
    expect(persister.writes).toBe(1);
    store.create(SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'last' } });
    persister.close();
    expect(persister.writes).toBe(2);
    const secrets = readStateFile(file)!.resources.find((r) => r.resource === 'secrets')!;
    expect(secrets.items.map((o) => o.metadata.name)).toContain('last');
  });

  it('names the file and the way out for a corrupt, foreign or unreadable file; none is a first start', () => {
    expect(readStateFile(file)).toBeUndefined();
    mkdirSync(join(dir, 'kube'));
    const cases: Array<[string, RegExp]> = [
      ['{"kind": "KubeSimState", "vers', /not valid JSON/],
      ['{"kind": "Other"}', /not a kube-sim state file/],
      [
        '{"kind": "KubeSimState", "version": 9, "resourceVersion": "1", "resources": []}',
        /version 9/,
      ],
      [
        '{"kind": "KubeSimState", "version": 1, "resourceVersion": "1", "resources": [{"group": "", "resource": "secrets", "items": [{"kind": "Secret", "metadata": {"name": "x"}}]}]}',
        /resources\[0\]\.items\[0\]\.metadata\.uid is missing/,
      ],
    ];
    for (const [text, reason] of cases) {
      writeFileSync(file, text);
      let err: unknown;
      try {
        readStateFile(file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StateFileError);
      expect((err as Error).message).toContain(file);
      expect((err as Error).message).toMatch(reason);
      expect((err as Error).message).toContain('Delete or move it');
    }
    if (process.getuid?.() !== 0) {
      writeFileSync(file, '{}');
      chmodSync(file, 0o000);
      expect(() => readStateFile(file)).toThrow(/permission denied/);
    }
  });

  it('refuses objects of a resource nobody serves (a custom resource without its CRD)', () => {
    const before = createStore();
    populate(before);
    const snapshot = before.snapshot(keepInStateFile);
    snapshot.resources = snapshot.resources.filter(
      (r) => r.resource !== 'customresourcedefinitions',
    );
    expect(() => createStore().restore(snapshot)).toThrow(/widgets\.example\.com is not served/);
  });
});
