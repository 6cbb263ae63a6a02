import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-harness.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const AGGREGATED =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

const WIDGET_CRD = {
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
        subresources: {
          status: {},
          scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.size' },
        },
        additionalPrinterColumns: [
          { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
          {
            name: 'Ready',
            type: 'string',
            jsonPath: '.status.conditions[?(@.type=="Ready")].status',
          },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: { size: { type: 'integer', minimum: 0 } },
              },
              status: {
                type: 'object',
                properties: {
                  size: { type: 'integer' },
                  conditions: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: { type: { type: 'string' }, status: { type: 'string' } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

describe('kube-sim API over HTTP', () => {
  let h: ApiHarness;
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> => {
    const res = await fetch(`${h.api.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      json: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
      headers: res.headers,
    };
  };
  const pod = (name: string, labels: Record<string, string> = {}): Record<string, unknown> => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  });

  beforeAll(async () => {
    h = await startApiHarness({ store: { historySize: 30 }, bookmarkIntervalMs: 100 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves legacy and aggregated discovery', async () => {
    const legacy = await call('GET', '/api');
    expect(legacy.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const apps = await call('GET', '/apis/apps/v1');
    const resources = apps.json['resources'] as Array<Record<string, unknown>>;
    expect(resources.find((r) => r['name'] === 'deployments/scale')).toMatchObject({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    const agg = await call('GET', '/apis', undefined, { Accept: AGGREGATED });
    expect(agg.headers.get('content-type')).toContain('as=APIGroupDiscoveryList');
    const items = agg.json['items'] as Array<{
      metadata: { name: string };
      versions: Array<{ resources: Array<Record<string, unknown>> }>;
    }>;
    const deployments = items
      .find((i) => i.metadata.name === 'apps')!
      .versions[0]!.resources.find((r) => r['resource'] === 'deployments');
    expect(deployments).toMatchObject({ scope: 'Namespaced', shortNames: ['deploy'] });
    expect(deployments!['subresources']).toContainEqual(
      expect.objectContaining({
        subresource: 'scale',
        responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      }),
    );
    const version = await call('GET', '/version');
    expect(version.json).toMatchObject({ major: '1', minor: '32' });
  });

  it('writes Status objects as Kubernetes does (404, 409, 422, 415)', async () => {
    const missing = await call('GET', '/api/v1/namespaces/default/pods/nope');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
    expect((await call('POST', '/api/v1/namespaces/default/pods', pod('dup'))).status).toBe(201);
    const dup = await call('POST', '/api/v1/namespaces/default/pods', pod('dup'));
    expect(dup.status).toBe(409);
    expect(dup.json).toMatchObject({
      reason: 'AlreadyExists',
      message: 'pods "dup" already exists',
      code: 409,
    });
    const invalid = await call('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'neg' },
      spec: {
        replicas: -1,
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } } },
      },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json).toMatchObject({
      reason: 'Invalid',
      details: {
        name: 'neg',
        group: 'apps',
        kind: 'Deployment',
        causes: [{ reason: 'FieldValueInvalid', field: 'spec.replicas' }],
      },
    });
    expect(String(invalid.json['message'])).toMatch(
      /^Deployment\.apps "neg" is invalid: spec\.replicas: Invalid value: -1/,
    );
    const proto = await call('POST', '/api/v1/namespaces/default/configmaps', 'k8s\u0000', {
      'Content-Type': 'application/vnd.kubernetes.protobuf',
    });
    expect(proto.status).toBe(415);
    const badJson = await call('POST', '/api/v1/namespaces/default/configmaps', '{not json');
    expect(badJson.status).toBe(400);
    expect(badJson.json['reason']).toBe('BadRequest');
    const badPath = await call('GET', '/api/v1/namespaces/%E0%A4%A/pods');
    expect(badPath.status).toBe(400);
    const unknown = await call('GET', '/apis/nope.example.com/v1/things');
    expect(unknown.json).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
  });

  it('serves a CRD: OpenAPI v3 with fieldValidation on PATCH, schema validation, printer columns in tables', async () => {
    expect(
      (await call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', WIDGET_CRD))
        .status,
    ).toBe(201);
    const index = await call('GET', '/openapi/v3');
    const entry = (index.json['paths'] as Record<string, { serverRelativeURL: string }>)[
      'apis/example.com/v1'
    ];
    expect(entry?.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/example\.com\/v1\?hash=/);
    const doc = await call('GET', entry!.serverRelativeURL);
    const paths = doc.json['paths'] as Record<
      string,
      {
        patch?: {
          parameters: Array<{ name: string; in: string }>;
          'x-kubernetes-group-version-kind': unknown;
        };
      }
    >;
    const patchOp = Object.values(paths).find((p) => p.patch)!.patch!;
    expect(patchOp['x-kubernetes-group-version-kind']).toEqual({
      group: 'example.com',
      version: 'v1',
      kind: 'Widget',
    });
    expect(patchOp.parameters).toContainEqual(
      expect.objectContaining({ name: 'fieldValidation', in: 'query' }),
    );

    const base = '/apis/example.com/v1/namespaces/default/widgets';
    const strict = await call('POST', `${base}?fieldValidation=Strict`, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w0' },
      spec: { size: 1, color: 'red' },
    });
    expect(strict.status).toBe(400);
    expect(strict.json['message']).toContain('unknown field "spec.color"');
    const warn = await call('POST', base, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1' },
      spec: { size: 2, color: 'red' },
    });
    expect(warn.status).toBe(201);
    expect(warn.headers.get('warning')).toContain('unknown field \\"spec.color\\"');
    expect(warn.json['spec']).toEqual({ size: 2 });
    const bad = await call('POST', base, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w2' },
      spec: { size: -3 },
    });
    expect(bad.status).toBe(422);
    expect(bad.json['details']).toMatchObject({ causes: [{ field: 'spec.size' }] });

    const w1 = warn.json as { metadata: Record<string, unknown> };
    const status = await call('PUT', `${base}/w1/status`, {
      ...w1,
      status: { size: 2, conditions: [{ type: 'Ready', status: 'True' }] },
    });
    expect(status.status).toBe(200);
    const table = await call('GET', base, undefined, { Accept: TABLE });
    expect(table.json['kind']).toBe('Table');
    expect((table.json['columnDefinitions'] as Array<{ name: string }>).map((c) => c.name)).toEqual(
      ['Name', 'Size', 'Ready'],
    );
    expect((table.json['rows'] as Array<{ cells: unknown[] }>)[0]!.cells).toEqual([
      'w1',
      2,
      'True',
    ]);
    const scale = await call(
      'PATCH',
      `${base}/w1/scale`,
      { spec: { replicas: 5 } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(scale.json).toMatchObject({
      kind: 'Scale',
      spec: { replicas: 5 },
      status: { replicas: 2 },
    });
    expect(((await call('GET', `${base}/w1`)).json['spec'] as { size: number }).size).toBe(5);
  });

  it('pages lists with label selectors, limit and continue', async () => {
    for (let i = 0; i < 5; i++)
      await call('POST', '/api/v1/namespaces/default/pods', pod(`page-${i}`, { suite: 'paging' }));
    const names: string[] = [];
    let next = '';
    for (let page = 0; page < 5; page++) {
      const r = await call(
        'GET',
        `/api/v1/namespaces/default/pods?labelSelector=suite%3Dpaging&limit=2${next ? `&continue=${encodeURIComponent(next)}` : ''}`,
      );
      names.push(
        ...(r.json['items'] as Array<{ metadata: { name: string } }>).map((p) => p.metadata.name),
      );
      next = (r.json['metadata'] as { continue?: string }).continue ?? '';
      if (!next) break;
    }
    expect(names).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    const removed = await call(
      'DELETE',
      '/api/v1/namespaces/default/pods?labelSelector=suite%3Dpaging',
    );
    expect((removed.json['items'] as unknown[]).length).toBe(5);
    expect(
      (
        (await call('GET', '/api/v1/namespaces/default/pods?labelSelector=suite%3Dpaging')).json[
          'items'
        ] as unknown[]
      ).length,
    ).toBe(0);
  });

  it('streams watches with bookmarks, ends them after timeoutSeconds, and sends 410 for old versions', async () => {
    const list = await call('GET', '/api/v1/namespaces/default/configmaps');
    const rv = (list.json['metadata'] as { resourceVersion: string }).resourceVersion;
    const res = await fetch(
      `${h.api.url}/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=1`,
    );
    expect(res.headers.get('content-type')).toBe('application/json');
    const created = await call('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'watched' },
      data: { a: '1' },
    });
    const text = await res.text(); // the server ends the stream after timeoutSeconds
    const events = text
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            type: string;
            object: { metadata: { name?: string; resourceVersion: string } };
          },
      );
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'watched' } } });
    const bookmarks = events.filter((e) => e.type === 'BOOKMARK');
    expect(bookmarks.length).toBeGreaterThan(0);
    expect(Number(bookmarks.at(-1)!.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(
      Number((created.json['metadata'] as { resourceVersion: string }).resourceVersion),
    );
    for (let i = 0; i < 40; i++)
      await call('POST', '/api/v1/namespaces/default/configmaps', {
        metadata: { name: `churn-${i}` },
      });
    const old = await fetch(
      `${h.api.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`,
    );
    const lines = (await old.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: Record<string, unknown> });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
  });

  it('deletes in the foreground: the owner waits for its dependents', async () => {
    const owner = await call('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'owner' },
    });
    const uid = (owner.json['metadata'] as { uid: string }).uid;
    await call('POST', '/api/v1/namespaces/default/pods', {
      ...pod('dependent'),
      metadata: {
        name: 'dependent',
        finalizers: ['example.com/hold'],
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid, blockOwnerDeletion: true },
        ],
      },
    });
    const del = await call('DELETE', '/api/v1/namespaces/default/configmaps/owner', {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Foreground',
    });
    expect(del.status).toBe(202);
    expect(del.json['metadata']).toMatchObject({ finalizers: ['foregroundDeletion'] });
    expect(
      (await call('GET', '/api/v1/namespaces/default/pods/dependent')).json['metadata'],
    ).toHaveProperty('deletionTimestamp');
    const release = await call(
      'PATCH',
      '/api/v1/namespaces/default/pods/dependent',
      [{ op: 'remove', path: '/metadata/finalizers' }],
      { 'Content-Type': 'application/json-patch+json' },
    );
    expect(release.status).toBe(200);
    expect((await call('GET', '/api/v1/namespaces/default/pods/dependent')).status).toBe(404);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/owner')).status).toBe(404);
  });
});
