import type { V1Container, V1EnvVar, V1PodTemplateSpec } from '@kubernetes/client-node';
import { parseGpuProfile, type Model } from '@bascule/spec';
import type { EngineContainerParts, RenderOptions } from '../adapter/engine-adapter.js';
import { GPU_RESOURCE, gpuNodeProfile, requiredNodeAffinity } from '../gpu/gpu-profile-table.js';
import { ENGINE_CONTAINER, ENGINE_PORT_NAME, modelLabels } from './model-labels.js';
import type { WeightsPlan } from './plan-weights.js';
import { renderProbes } from './render-probes.js';

/** Name of the shared-memory volume (NCCL and PyTorch workers exchange tensors through it). */
export const SHM_VOLUME = 'dshm';

/** /dev/shm size: 2 GiB per GPU, at most 16 GiB (counted against the pod's memory). */
export function shmSize(gpus: number): string {
  return `${Math.min(16, 2 * Math.max(1, gpus))}Gi`;
}

/** The pod template every engine shares: one engine container, GPUs, probes, volumes, scheduling. */
export function renderPodTemplate(
  model: Model,
  parts: EngineContainerParts,
  weights: WeightsPlan,
  options: RenderOptions = {},
): V1PodTemplateSpec {
  const { spec } = model;
  const gpu = parseGpuProfile(spec.gpus);
  const profile = gpuNodeProfile(gpu.type, options.gpuProfiles);
  const affinity = requiredNodeAffinity(profile);
  const env: V1EnvVar[] = [
    { name: 'HF_HOME', value: weights.cacheDir },
    ...parts.env,
    ...(spec.env ?? []).map((e) =>
      e.valueFrom
        ? { name: e.name, valueFrom: e.valueFrom }
        : { name: e.name, value: e.value ?? '' },
    ),
  ];
  const requests: Record<string, string> = { [GPU_RESOURCE]: String(gpu.count) };
  const limits: Record<string, string> = { [GPU_RESOURCE]: String(gpu.count) };
  if (spec.resources?.cpu !== undefined) requests.cpu = String(spec.resources.cpu);
  if (spec.resources?.memory !== undefined) {
    requests.memory = String(spec.resources.memory);
    limits.memory = String(spec.resources.memory);
  }
  const container: V1Container = {
    name: ENGINE_CONTAINER,
    image: parts.image,
    imagePullPolicy: 'IfNotPresent',
    ...(parts.command.length > 0 ? { command: parts.command } : {}),
    args: parts.args,
    env,
    ...(spec.sourceSecretRef
      ? { envFrom: [{ secretRef: { name: spec.sourceSecretRef.name } }] }
      : {}),
    ports: [{ name: ENGINE_PORT_NAME, containerPort: parts.port, protocol: 'TCP' }],
    resources: { requests, limits },
    volumeMounts: [...weights.mounts, { name: SHM_VOLUME, mountPath: '/dev/shm' }],
    ...renderProbes(parts.healthPath, options.startupTimeoutSeconds),
  };
  return {
    metadata: { labels: modelLabels(model.metadata.name, spec.engine, parts.image) },
    spec: {
      ...(weights.initContainers.length > 0 ? { initContainers: weights.initContainers } : {}),
      containers: [container],
      volumes: [
        ...weights.volumes,
        { name: SHM_VOLUME, emptyDir: { medium: 'Memory', sizeLimit: shmSize(gpu.count) } },
      ],
      ...(Object.keys(profile.nodeSelector).length > 0
        ? { nodeSelector: { ...profile.nodeSelector } }
        : {}),
      ...(affinity ? { affinity } : {}),
      tolerations: profile.tolerations.map((t) => ({ ...t })),
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 60,
    },
  };
}
