// The value sets every chart test renders: defaults, the GKE and EKS values files, and four
// variations users run.
import { valuesFile } from './render-chart.js';

export const VALUE_SETS: Record<string, Record<string, unknown>[]> = {
  defaults: [],
  gke: [valuesFile('values-gke.yaml')],
  eks: [valuesFile('values-eks.yaml')],
  'split roles': [{ splitRoles: true, gateway: { hpa: { enabled: true } } }],
  'external redis': [
    {
      redis: {
        external: {
          url: 'rediss://redis.example.internal:6380/0',
          passwordSecret: { name: 'redis-auth', key: 'password' },
        },
      },
      rbac: { clusterWide: false },
    },
  ],
  'external redis cluster': [
    {
      redis: {
        external: {
          url: 'rediss+cluster://redis-0.example.internal:6380,redis-1.example.internal:6380',
          passwordSecret: { name: 'redis-auth', key: 'password' },
        },
      },
    },
  ],
  'all optional objects': [
    {
      splitRoles: true,
      serviceMonitor: { enabled: true, labels: { release: 'prometheus' } },
      grafanaDashboards: { enabled: true, annotations: { grafana_folder: 'Bascule' } },
      accessLog: { sample: 0.5 },
      tracing: { enabled: true, endpoint: 'http://otel-collector.observability:4318' },
      networkPolicy: {
        enabled: true,
        clientFrom: [{ namespaceSelector: { matchLabels: { 'bascule.dev/client': 'true' } } }],
      },
      ingress: {
        enabled: true,
        className: 'nginx',
        host: 'llm.example.com',
        tls: [{ hosts: ['llm.example.com'], secretName: 'llm-tls' }],
      },
      httpRoute: {
        enabled: true,
        parentRefs: [{ name: 'public', namespace: 'gateways' }],
        hostnames: ['llm.example.com'],
      },
      gateway: { hpa: { enabled: true }, service: { type: 'LoadBalancer' } },
      worker: {
        batchStorage: { persistence: true, size: '20Gi' },
        webhookSigningKeySecret: { name: 'webhooks', key: 'signing-key' },
      },
      redis: { passwordSecret: { name: 'redis-auth', key: 'password' } },
      imagePullSecrets: [{ name: 'registry' }],
    },
  ],
  'models from values': [
    {
      gpuProfiles: {
        'rtx-4090': {
          nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-GeForce-RTX-4090', pool: 'lab' },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        },
      },
      models: {
        'qwen3-8b': {
          source: 'hf://Qwen/Qwen3-8B',
          engine: 'vllm',
          gpus: 'rtx-4090:1',
          autoscaling: { minReplicas: 0, maxReplicas: 2 },
        },
      },
      providers: {
        openai: {
          type: 'openai',
          apiKeySecretRef: { name: 'openai-api-key', key: 'api-key' },
          models: [
            { name: 'gpt-5-mini', inputUSDPer1M: 0.25, outputUSDPer1M: 2, contextWindow: 400000 },
          ],
        },
      },
      routes: {
        chat: {
          strategy: 'priority',
          targets: [{ model: 'qwen3-8b' }, { provider: 'openai', model: 'gpt-5-mini' }],
          fallback: { triggers: ['noCapacity', 'coldStart'] },
        },
      },
    },
  ],
};
