import { Deployment } from 'kubernetes-models/apps/v1/Deployment';

type DeploymentInit = ConstructorParameters<typeof Deployment>[0];
import { Service } from 'kubernetes-models/v1/Service';

type ServiceInit = ConstructorParameters<typeof Service>[0];
import { parseModel, TEMPLATE_HASH_ANNOTATION, type Engine, type ModelInput } from '@bascule/spec';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GPU_PROFILES,
  ENGINE_ADAPTERS,
  EngineRenderError,
  GPU_RESOURCE,
  parsePrometheusText,
  type EngineAdapter,
} from '../index.js';

/** One conformance suite, run against every engine adapter. */
function modelFor(engine: Engine, spec: Partial<ModelInput['spec']> = {}) {
  return parseModel({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Model',
    metadata: { name: 'm1', namespace: 'team-a' },
    spec: { source: 'hf://org/model', engine, gpus: 'nvidia-l4:1', ...spec },
  });
}

const adapters: EngineAdapter[] = Object.values(ENGINE_ADAPTERS);

describe.each(adapters.map((a) => [a.engine, a] as const))(
  'engine adapter %s',
  (engine, adapter) => {
    const render = (spec: Partial<ModelInput['spec']> = {}, replicas = 1) =>
      adapter.renderDeployment({ model: modelFor(engine, spec), replicas });
    const container = (spec: Partial<ModelInput['spec']> = {}) =>
      render(spec).spec!.template.spec!.containers[0]!;

    it('renders a Deployment and a Service that pass the Kubernetes schemas', () => {
      const specs: Partial<ModelInput['spec']>[] = [
        {},
        { gpus: 'nvidia-h100:4', tensorParallelism: 4, maxContextLength: 8192, dtype: 'bfloat16' },
        {
          sourceSecretRef: { name: 'hf-token' },
          weightCache: { claimName: 'cache', subPath: 'x' },
          resources: { cpu: '500m', memory: '16Gi' },
          env: [
            { name: 'A', value: '1' },
            { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
          ],
          loraAdapters: [
            { name: 'a1', source: 'hf://org/adapter' },
            { name: 'a2', source: 's3://bucket-1/adapters/a2' },
            { name: 'a3', source: 'pvc://claim-1/a3' },
          ],
        },
        { source: 's3://bucket-1/models/m', extraArgs: ['--seed', '7'] },
        { source: 'pvc://weights/models/m', quantization: 'awq' },
      ];
      for (const spec of specs) {
        const model = modelFor(engine, spec);
        expect(() =>
          new Deployment(
            adapter.renderDeployment({ model, replicas: 2 }) as DeploymentInit,
          ).validate(),
        ).not.toThrow();
        expect(() =>
          new Service(adapter.renderService({ model }) as ServiceInit).validate(),
        ).not.toThrow();
      }
    });

    it("uses the engine's pinned image unless overridden", () => {
      expect(container().image).toBe(adapter.defaultImage);
      expect(adapter.defaultImage).toMatch(
        /^(vllm\/vllm-openai:v\d+\.\d+\.\d+|ghcr\.io\/huggingface\/text-generation-inference:\d+\.\d+\.\d+)$/,
      );
      expect(container({ image: 'mirror.local/engine:1' }).image).toBe('mirror.local/engine:1');
      const viaOptions = adapter.renderDeployment({
        model: modelFor(engine),
        replicas: 1,
        options: { images: { [engine]: 'mirror.local/other:2' } },
      });
      expect(viaOptions.spec!.template.spec!.containers[0]!.image).toBe('mirror.local/other:2');
    });

    it('requests and limits the GPUs and schedules onto the GPU type', () => {
      const d = render({ gpus: 'nvidia-h100:4', tensorParallelism: 4 });
      const c = d.spec!.template.spec!.containers[0]!;
      expect(c.resources!.requests![GPU_RESOURCE]).toBe('4');
      expect(c.resources!.limits![GPU_RESOURCE]).toBe('4');
      // Any platform's labels for the type: GFD's product, GKE's accelerator, EKS's instance type.
      expect(d.spec!.template.spec!.nodeSelector).toBeUndefined();
      expect(
        d.spec!.template.spec!.affinity!.nodeAffinity!
          .requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms,
      ).toEqual([
        {
          matchExpressions: [
            {
              key: 'nvidia.com/gpu.product',
              operator: 'In',
              values: ['NVIDIA-H100-80GB-HBM3', 'NVIDIA-H100-PCIe'],
            },
          ],
        },
        {
          matchExpressions: [
            {
              key: 'cloud.google.com/gke-accelerator',
              operator: 'In',
              values: ['nvidia-h100-80gb', 'nvidia-h100-mega-80gb'],
            },
          ],
        },
        {
          matchExpressions: [
            {
              key: 'node.kubernetes.io/instance-type',
              operator: 'In',
              values: ['p5.4xlarge', 'p5.48xlarge'],
            },
          ],
        },
      ]);
      expect(d.spec!.template.spec!.tolerations).toEqual([
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ]);
    });

    it('takes nodeSelector and tolerations from a custom GPU profile table', () => {
      const d = adapter.renderDeployment({
        model: modelFor(engine, { gpus: 'acme-x1:2' }),
        replicas: 1,
        options: {
          gpuProfiles: {
            'acme-x1': {
              nodeSelector: { 'cloud.example/accelerator': 'x1' },
              tolerations: [
                { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
              ],
            },
          },
        },
      });
      expect(d.spec!.template.spec!.nodeSelector).toEqual({ 'cloud.example/accelerator': 'x1' });
      expect(d.spec!.template.spec!.affinity).toBeUndefined();
      expect(d.spec!.template.spec!.tolerations![0]!.key).toBe('dedicated');
    });

    it('fails with a named, non-retryable error for an unknown GPU type', () => {
      const err = (() => {
        try {
          render({ gpus: 'acme-x1:1' });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(EngineRenderError);
      expect((err as EngineRenderError).reason).toBe('UnknownGPUType');
      expect((err as EngineRenderError).retryable).toBe(false);
      expect((err as Error).message).toContain('spec.gpus: unknown GPU type "acme-x1"');
      expect((err as Error).message).toContain('nvidia-h100');
    });

    it('probes the health path on the named engine port, with a long startup probe', () => {
      const c = container();
      expect(c.ports).toEqual([{ name: 'http', containerPort: adapter.port, protocol: 'TCP' }]);
      for (const probe of [c.startupProbe!, c.readinessProbe!, c.livenessProbe!]) {
        expect(probe.httpGet).toEqual({ path: adapter.healthPath, port: 'http', scheme: 'HTTP' });
      }
      const startup = c.startupProbe!;
      expect(startup.periodSeconds! * startup.failureThreshold!).toBeGreaterThanOrEqual(3600);
      const short = adapter.renderDeployment({
        model: modelFor(engine),
        replicas: 1,
        options: { startupTimeoutSeconds: 120 },
      });
      const p = short.spec!.template.spec!.containers[0]!.startupProbe!;
      expect(p.periodSeconds! * p.failureThreshold!).toBe(120);
    });

    it('mounts /dev/shm from memory and the weight cache at HF_HOME', () => {
      const d = render({ weightCache: { claimName: 'cache', mountPath: '/w', subPath: 'sub' } });
      const pod = d.spec!.template.spec!;
      const c = pod.containers[0]!;
      expect(pod.volumes).toContainEqual({
        name: 'dshm',
        emptyDir: { medium: 'Memory', sizeLimit: '2Gi' },
      });
      expect(pod.volumes).toContainEqual({
        name: 'model-cache',
        persistentVolumeClaim: { claimName: 'cache' },
      });
      expect(c.volumeMounts).toContainEqual({ name: 'dshm', mountPath: '/dev/shm' });
      expect(c.volumeMounts).toContainEqual({
        name: 'model-cache',
        mountPath: '/w',
        subPath: 'sub',
      });
      expect(c.env).toContainEqual({ name: 'HF_HOME', value: '/w' });
      const noCache = render().spec!.template.spec!;
      expect(noCache.volumes).toContainEqual({ name: 'model-cache', emptyDir: {} });
    });

    it('takes HF_TOKEN (and every other key) from the source Secret', () => {
      const c = container({ sourceSecretRef: { name: 'hf-token' } });
      expect(c.envFrom).toEqual([{ secretRef: { name: 'hf-token' } }]);
      expect(JSON.stringify(c.env)).not.toContain('hf_');
    });

    it('labels objects and selects pods by the Model label', () => {
      const d = render();
      for (const labels of [d.metadata!.labels!, d.spec!.template.metadata!.labels!]) {
        expect(labels).toMatchObject({
          'app.kubernetes.io/instance': 'm1',
          'app.kubernetes.io/managed-by': 'bascule',
          'app.kubernetes.io/part-of': 'bascule',
          'bascule.dev/model': 'm1',
          'bascule.dev/engine': engine,
        });
      }
      expect(d.spec!.selector).toEqual({ matchLabels: { 'bascule.dev/model': 'm1' } });
      expect(d.metadata!.namespace).toBe('team-a');
      const svc = adapter.renderService({ model: modelFor(engine) });
      expect(svc.spec!.selector).toEqual({ 'bascule.dev/model': 'm1' });
      expect(svc.spec!.ports).toEqual([
        { name: 'http', port: adapter.port, targetPort: 'http', protocol: 'TCP' },
      ]);
    });

    it('hashes the pod template: same spec same hash, changed spec new hash, replicas no change', () => {
      const hash = (d: ReturnType<typeof render>) =>
        d.metadata!.annotations![TEMPLATE_HASH_ANNOTATION]!;
      const a = render();
      expect(hash(a)).toMatch(/^[0-9a-f]{16}$/);
      expect(a.spec!.template.metadata!.annotations![TEMPLATE_HASH_ANNOTATION]).toBe(hash(a));
      expect(render()).toEqual(a);
      expect(hash(render({}, 5))).toBe(hash(a));
      expect(render({}, 5).spec!.replicas).toBe(5);
      expect(hash(render({ maxConcurrency: 8 }))).not.toBe(hash(a));
      expect(hash(render({ gpus: 'nvidia-h100:1' }))).not.toBe(hash(a));
    });

    it('passes served concurrency, max context and extra args through to the engine', () => {
      const args = container({
        maxConcurrency: 17,
        maxContextLength: 4096,
        extraArgs: ['--x', 'y'],
      }).args!;
      expect(args.join(' ')).toContain('17');
      expect(args.join(' ')).toContain('4096');
      expect(args.slice(-2)).toEqual(['--x', 'y']);
    });

    it('copies s3:// LoRA adapters with an init container that cannot run injected shell', () => {
      const d = render({
        sourceSecretRef: { name: 'aws' },
        loraAdapters: [{ name: 'a2', source: "s3://bucket-1/a';reboot;'" }],
      });
      const init = d.spec!.template.spec!.initContainers![0]!;
      expect(init.envFrom).toEqual([{ secretRef: { name: 'aws' } }]);
      expect(init.args![0]).toBe(
        `aws s3 sync 's3://bucket-1/a'\\'';reboot;'\\''' '/models-cache/s3/bucket-1/a'\\'';reboot;'\\''' --only-show-errors`,
      );
    });

    it('reads zero load from empty metrics and never exceeds KV usage 1', () => {
      expect(adapter.readLoad([])).toEqual({ running: 0, waiting: 0 });
      const names = adapter.metricNames;
      const text = `${names.running} 3\n${names.waiting} 2\n${names.kvCache} 5000\n`;
      const load = adapter.readLoad(parsePrometheusText(text), { maxBatchTotalTokens: 1000 });
      expect(load.running).toBe(3);
      expect(load.waiting).toBe(2);
      expect(load.kvCacheUsage).toBe(1);
    });

    it('has a GPU profile for every known GPU type', () => {
      expect(Object.keys(DEFAULT_GPU_PROFILES)).toContain('nvidia-l4');
    });
  },
);
