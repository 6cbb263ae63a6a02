import * as k8s from '@kubernetes/client-node';
import { waitFor } from '@bascule/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-harness.js';

const TOKEN = 'test-token-123';

function kubeConfig(h: ApiHarness, token = TOKEN): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: h.api.url, skipTLSVerify: true }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'u', namespace: 'default' }],
    currentContext: 'sim',
  });
  return kc;
}

function configMap(name: string, data: Record<string, string> = {}): k8s.V1ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
}

describe('kube-sim API with @kubernetes/client-node', () => {
  let h: ApiHarness;
  let core: k8s.CoreV1Api;

  beforeAll(async () => {
    h = await startApiHarness({
      token: TOKEN,
      watchTimeoutSeconds: 0.5,
      store: { historySize: 50 },
    });
    core = kubeConfig(h).makeApiClient(k8s.CoreV1Api);
  });
  afterAll(async () => {
    await h.close();
  });

  it('rejects a wrong bearer token with 401', async () => {
    const bad = kubeConfig(h, 'wrong').makeApiClient(k8s.CoreV1Api);
    const err = await bad.listNamespace().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(k8s.ApiException);
    expect((err as k8s.ApiException<unknown>).code).toBe(401);
  });

  it('answers a stale update with 409 Conflict', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: configMap('stale', { v: '1' }),
    });
    await core.replaceNamespacedConfigMap({
      name: 'stale',
      namespace: 'default',
      body: { ...created, data: { v: '2' } },
    });
    const err = await core
      .replaceNamespacedConfigMap({
        name: 'stale',
        namespace: 'default',
        body: { ...created, data: { v: '3' } },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(k8s.ApiException);
    const apiErr = err as k8s.ApiException<string>;
    expect(apiErr.code).toBe(409);
    const status = (
      typeof apiErr.body === 'string' ? JSON.parse(apiErr.body) : apiErr.body
    ) as k8s.V1Status;
    expect(status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
    });
    const current = await core.readNamespacedConfigMap({ name: 'stale', namespace: 'default' });
    expect(current.data).toEqual({ v: '2' });
  });

  it('sends an ERROR event with 410 Gone when watching from a compacted resourceVersion', async () => {
    const first = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: configMap('old-0'),
    });
    for (let i = 1; i <= 60; i++)
      await core.createNamespacedConfigMap({ namespace: 'default', body: configMap(`old-${i}`) });
    const events: Array<{ type: string; code?: number; reason?: string }> = [];
    let done = false;
    await new k8s.Watch(kubeConfig(h)).watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: first.metadata?.resourceVersion },
      (type, obj: { code?: number; reason?: string }) =>
        events.push({ type, code: obj.code, reason: obj.reason }),
      () => {
        done = true;
      },
    );
    await waitFor('the watch to end', () => done, 10_000);
    expect(events).toEqual([{ type: 'ERROR', code: 410, reason: 'Expired' }]);
  });

  it('keeps an informer in sync across server-side watch closes', async () => {
    const kc = kubeConfig(h);
    const path = '/api/v1/namespaces/default/configmaps';
    const informer = k8s.makeInformer(
      kc,
      path,
      () => core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'suite=informer' }),
      'suite=informer',
    );
    const seen = new Map<string, string | undefined>();
    informer.on('add', (o) => seen.set(o.metadata!.name!, o.data?.['v']));
    informer.on('update', (o) => seen.set(o.metadata!.name!, o.data?.['v']));
    informer.on('delete', (o) => seen.delete(o.metadata!.name!));
    const errors: unknown[] = [];
    informer.on('error', (e) => errors.push(e));
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: {
        ...configMap('inf-a', { v: '1' }),
        metadata: { name: 'inf-a', labels: { suite: 'informer' } },
      },
    });
    await informer.start();
    await waitFor('the informer to list inf-a', () => seen.get('inf-a') === '1', 10_000);
    const closedBefore = h.api.stats().watchesEndedByServer;
    const startedBefore = h.api.stats().watchesStarted;
    await waitFor(
      'the server to close a watch and the informer to re-watch',
      () =>
        h.api.stats().watchesEndedByServer > closedBefore &&
        h.api.stats().watchesStarted > startedBefore + 1,
      10_000,
    );
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: {
        ...configMap('inf-b', { v: '1' }),
        metadata: { name: 'inf-b', labels: { suite: 'informer' } },
      },
    });
    await core.patchNamespacedConfigMap(
      { name: 'inf-a', namespace: 'default', body: { data: { v: '2' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedConfigMap({ name: 'inf-b', namespace: 'default' });
    await waitFor(
      'the informer to see the changes',
      () => seen.get('inf-a') === '2' && !seen.has('inf-b'),
      10_000,
    );
    expect(errors).toEqual([]);
    await informer.stop();
  });

  it('merges two server-side apply managers and reports conflicts unless forced', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kubeConfig(h));
    const base = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ssa', namespace: 'default' },
    };
    const template = {
      selector: { matchLabels: { app: 'ssa' } },
      template: {
        metadata: { labels: { app: 'ssa' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1' }] },
      },
    };
    await objects.patch(
      {
        ...base,
        metadata: { ...base.metadata, labels: { owner: 'a' } },
        spec: { replicas: 2, ...template },
      },
      undefined,
      undefined,
      'manager-a',
      undefined,
      k8s.PatchStrategy.ServerSideApply,
    );
    await objects.patch(
      {
        ...base,
        metadata: { ...base.metadata, labels: { team: 'b' } },
        spec: {
          ...template,
          template: {
            ...template.template,
            spec: { containers: [{ name: 'sidecar', image: 'busybox' }] },
          },
        },
      },
      undefined,
      undefined,
      'manager-b',
      undefined,
      k8s.PatchStrategy.ServerSideApply,
    );
    const apps = kubeConfig(h).makeApiClient(k8s.AppsV1Api);
    const merged = await apps.readNamespacedDeployment({ name: 'ssa', namespace: 'default' });
    expect(merged.metadata?.labels).toEqual({ owner: 'a', team: 'b' });
    expect(merged.spec?.replicas).toBe(2);
    expect(merged.spec?.template.spec?.containers.map((c) => c.name).sort()).toEqual([
      'sidecar',
      'web',
    ]);
    expect(merged.metadata?.managedFields?.map((m) => m.manager).sort()).toEqual([
      'manager-a',
      'manager-b',
    ]);

    const conflicting = { ...base, spec: { replicas: 5, ...template } };
    const err = await objects
      .patch(
        conflicting,
        undefined,
        undefined,
        'manager-b',
        undefined,
        k8s.PatchStrategy.ServerSideApply,
      )
      .catch((e: unknown) => e);
    expect((err as k8s.ApiException<unknown>).code).toBe(409);
    expect(String((err as k8s.ApiException<unknown>).body)).toContain(
      'conflict with \\"manager-a\\"',
    );

    await objects.patch(
      conflicting,
      undefined,
      undefined,
      'manager-b',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
    const forced = await apps.readNamespacedDeployment({ name: 'ssa', namespace: 'default' });
    expect(forced.spec?.replicas).toBe(5);
    // manager-b no longer applies its label or its sidecar: both are removed; manager-a's fields stay.
    expect(forced.metadata?.labels).toEqual({ owner: 'a' });
    expect(forced.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['web']);
  });
});
