import { describe, expect, it } from 'vitest';
import { createStore } from '../store/index.js';
import type { KubeObject } from '../store/types.js';
import { podAdmissionPlugin } from './pod-admission-plugin.js';
import type { Pod } from './kube-types.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const pod = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'vllm/vllm-openai:v0.11.0' }], ...spec },
});
const gpuPod = (name: string, extra: Record<string, unknown> = {}) =>
  pod(name, {
    containers: [
      { name: 'c', image: 'x:1', resources: { limits: { 'nvidia.com/gpu': '1', cpu: '1' } } },
    ],
    ...extra,
  });

function store(extendedResourceToleration: boolean) {
  const s = createStore();
  s.use(podAdmissionPlugin({ extendedResourceToleration, store: s }));
  return s;
}

describe('pod admission', () => {
  it('adds the toleration for requested extended resources, GKE-like, once', () => {
    const s = store(true);
    const created = s.create(PODS, gpuPod('a')) as Pod;
    expect(created.spec.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    const own = s.create(
      PODS,
      gpuPod('b', { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }] }),
    ) as Pod;
    expect(own.spec.tolerations).toHaveLength(1);
    const cpu = s.create(PODS, pod('c', {})) as Pod;
    expect(cpu.spec.tolerations).toBeUndefined();
  });

  it('adds nothing on a gpu-operator-like cluster', () => {
    const created = store(false).create(PODS, gpuPod('a')) as Pod;
    expect(created.spec.tolerations).toBeUndefined();
  });

  it('defaults the ServiceAccount and refuses a missing one with the API server message', () => {
    const s = store(true);
    expect((s.create(PODS, pod('a', {})) as Pod).spec.serviceAccountName).toBe('default');
    expect(() => s.create(PODS, pod('b', { serviceAccountName: 'robot' }))).toThrow(
      'pods "b" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found',
    );
    s.create(
      { group: '', version: 'v1', resource: 'serviceaccounts' },
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'robot', namespace: 'default' },
      },
    );
    expect(
      (s.create(PODS, pod('b', { serviceAccountName: 'robot' })) as Pod).spec.serviceAccountName,
    ).toBe('robot');
  });
});
