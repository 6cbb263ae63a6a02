import { describe, expect, it } from 'vitest';
import { createStore } from '../store/index.js';
import { builtinDefaultsPlugin } from './builtin-defaults.js';
import { RESOURCES, type Deployment, type Pod } from './kube-types.js';

describe('builtinDefaultsPlugin', () => {
  const store = createStore();
  store.use(builtinDefaultsPlugin());

  it("gives new pods the DefaultTolerationSeconds tolerations, keeping a pod's own", () => {
    const create = (name: string, tolerations?: unknown[]) =>
      store.create(RESOURCES.pods, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default' },
        spec: {
          containers: [{ name: 'c', image: 'busybox' }],
          ...(tolerations ? { tolerations } : {}),
        },
      }) as Pod;
    expect(create('plain').spec.tolerations).toEqual([
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ]);
    const own = {
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 30,
    };
    const gpu = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };
    expect(create('own', [gpu, own]).spec.tolerations).toEqual([
      gpu,
      own,
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ]);
  });

  it('defaults pods as the API server does, keeping what was given', () => {
    const pod = store.create(RESOURCES.pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'c',
            image: 'vllm/vllm-openai:v0.11.0',
            ports: [{ containerPort: 8000 }],
            resources: { limits: { 'nvidia.com/gpu': '1' } },
            readinessProbe: { httpGet: { path: '/health', port: 8000 }, periodSeconds: 5 },
          },
          { name: 'd', image: 'busybox' },
        ],
      },
    }) as Pod;
    const [c, d] = pod.spec.containers;
    expect(c?.ports?.[0]?.protocol).toBe('TCP');
    expect(c?.imagePullPolicy).toBe('IfNotPresent');
    expect(d?.imagePullPolicy).toBe('Always');
    expect(c?.resources?.requests).toEqual({ 'nvidia.com/gpu': '1' });
    expect(c?.readinessProbe).toMatchObject({
      periodSeconds: 5,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(c?.readinessProbe?.httpGet?.scheme).toBe('HTTP');
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Never',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
    });
  });

  it('defaults Deployments (strategy, limits, template) without bumping generation on a re-apply', () => {
    const spec = {
      selector: { matchLabels: { app: 'x' } },
      template: {
        metadata: { labels: { app: 'x' } },
        spec: { containers: [{ name: 'c', image: 'nginx:1' }] },
      },
    };
    const created = store.create(RESOURCES.deployments, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', namespace: 'default' },
      spec: structuredClone(spec),
    }) as Deployment;
    expect(created.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
    });
    expect(created.spec.template.spec.containers[0]?.imagePullPolicy).toBe('IfNotPresent');
    const again = store.update(RESOURCES.deployments, { ...created, spec: structuredClone(spec) });
    expect(again.metadata.generation).toBe(created.metadata.generation);
  });

  it('gives Services a cluster IP that updates keep', () => {
    const svc = store.create(RESOURCES.services, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', namespace: 'default' },
      spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
    });
    const spec = svc.spec as {
      clusterIP: string;
      type: string;
      ports: { targetPort: number; protocol: string }[];
    };
    expect(spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(spec.type).toBe('ClusterIP');
    expect(spec.ports[0]).toMatchObject({ targetPort: 80, protocol: 'TCP' });
    const updated = store.update(RESOURCES.services, {
      ...svc,
      spec: { selector: { app: 'y' }, ports: [{ port: 80 }] },
    });
    expect((updated.spec as { clusterIP: string }).clusterIP).toBe(spec.clusterIP);
  });
  it("merges a Secret's stringData into data (base64) and drops stringData", () => {
    const secrets = { group: '', version: 'v1', resource: 'secrets' };
    const secret = store.create(secrets, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'default' },
      data: { kept: Buffer.from('old').toString('base64') },
      stringData: { 'api-key': 'sk-test' },
    });
    expect(secret.stringData).toBeUndefined();
    expect(secret.type).toBe('Opaque');
    expect(secret.data).toEqual({
      kept: Buffer.from('old').toString('base64'),
      'api-key': Buffer.from('sk-test').toString('base64'),
    });
  });
});
