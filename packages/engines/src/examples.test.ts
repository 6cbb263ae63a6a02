import { fileURLToPath } from 'node:url';
import type { V1Container, V1Deployment } from '@kubernetes/client-node';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';

type DeploymentInit = ConstructorParameters<typeof Deployment>[0];
import { loadSources, TEMPLATE_HASH_ANNOTATION, type Model } from '@bascule/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { desiredAdapters, engineAdapter, TGI_IMAGE, VLLM_IMAGE } from './index.js';

// Field-by-field expectations for every Model in manifests/examples: what a platform engineer
// would check in the rendered Deployment before trusting it with GPUs.
const EXAMPLES = fileURLToPath(new URL('../../../manifests/examples', import.meta.url));
const models = new Map<string, Model>();

beforeAll(async () => {
  const out = await loadSources([EXAMPLES]);
  for (const doc of out.documents) {
    if (doc.result?.status === 'valid' && doc.result.resource.kind === 'Model') {
      models.set(doc.result.resource.metadata.name, doc.result.resource);
    }
  }
});

function render(name: string, replicas = 1): { d: V1Deployment; c: V1Container } {
  const model = models.get(name);
  if (!model) throw new Error(`example ${name} not found`);
  const d = engineAdapter(model.spec.engine).renderDeployment({ model, replicas });
  new Deployment(d as DeploymentInit).validate();
  return { d, c: d.spec!.template.spec!.containers[0]! };
}

const vllmProbes = (c: V1Container) => [c.startupProbe, c.readinessProbe, c.livenessProbe];
const gpu = (n: string) => ({ 'nvidia.com/gpu': n });
/** The `nvidia.com/gpu.product` values a rendered Deployment's required node affinity accepts. */
const products = (d: V1Deployment) =>
  d.spec!.template.spec!.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms.flatMap(
    (t) => (t.matchExpressions ?? []).filter((e) => e.key === 'nvidia.com/gpu.product'),
  )[0]!.values;
const cacheClaim = { name: 'model-cache', persistentVolumeClaim: { claimName: 'model-cache' } };
const cacheEmpty = { name: 'model-cache', emptyDir: {} };
const shm = (size: string) => ({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: size } });

describe('rendered Deployments of manifests/examples', () => {
  it('finds every example Model', () => {
    expect([...models.keys()].sort()).toEqual([
      'deepseek-v3',
      'llama-3-1-8b-instruct',
      'llama-4-scout',
      'mistral-7b',
      'mistral-7b-lora',
      'mistral-large-2',
      'qwen3-32b',
    ]);
  });

  it('deepseek-v3: vLLM on a whole 8 x H200 node with expert parallelism', () => {
    const { d, c } = render('deepseek-v3');
    expect(c.image).toBe(VLLM_IMAGE);
    expect(c.command).toEqual(['vllm', 'serve']);
    // prettier-ignore
    expect(c.args).toEqual([
      'deepseek-ai/DeepSeek-V3-0324',
      '--host', '0.0.0.0', '--port', '8000',
      '--served-model-name', 'deepseek-ai/DeepSeek-V3-0324',
      '--tensor-parallel-size', '8',
      '--max-model-len', '65536',
      '--gpu-memory-utilization', '0.92',
      '--max-num-seqs', '128',
      '--enable-expert-parallel',
      '--enable-auto-tool-choice', '--tool-call-parser', 'deepseek_v3',
    ]);
    expect(c.resources).toEqual({
      requests: { ...gpu('8'), cpu: '96', memory: '1Ti' },
      limits: { ...gpu('8'), memory: '1Ti' },
    });
    expect(products(d)![0]).toBe('NVIDIA-H200');
    expect(d.spec!.template.spec!.volumes).toEqual([cacheClaim, shm('16Gi')]);
    expect(c.envFrom).toBeUndefined();
  });

  it('llama-3-1-8b-instruct: vLLM on one L4 with prefix caching and the HF token', () => {
    const { d, c } = render('llama-3-1-8b-instruct');
    expect(c.image).toBe(VLLM_IMAGE);
    // prettier-ignore
    expect(c.args).toEqual([
      'meta-llama/Llama-3.1-8B-Instruct',
      '--host', '0.0.0.0', '--port', '8000',
      '--served-model-name', 'meta-llama/Llama-3.1-8B-Instruct',
      '--tensor-parallel-size', '1',
      '--max-model-len', '16384',
      '--dtype', 'bfloat16',
      '--gpu-memory-utilization', '0.92',
      '--max-num-seqs', '32',
      '--enable-prefix-caching',
      '--enable-auto-tool-choice', '--tool-call-parser', 'llama3_json',
    ]);
    expect(c.resources).toEqual({
      requests: { ...gpu('1'), cpu: '4', memory: '16Gi' },
      limits: { ...gpu('1'), memory: '16Gi' },
    });
    expect(c.envFrom).toEqual([{ secretRef: { name: 'hf-token' } }]);
    expect(products(d)![0]).toBe('NVIDIA-L4');
    expect(d.spec!.template.spec!.volumes).toEqual([cacheEmpty, shm('2Gi')]);
    expect(c.volumeMounts).toEqual([
      { name: 'model-cache', mountPath: '/models-cache' },
      { name: 'dshm', mountPath: '/dev/shm' },
    ]);
  });

  it('llama-4-scout: vLLM sharded over four H100s with a 128k context', () => {
    const { d, c } = render('llama-4-scout');
    // prettier-ignore
    expect(c.args).toEqual([
      'meta-llama/Llama-4-Scout-17B-16E-Instruct',
      '--host', '0.0.0.0', '--port', '8000',
      '--served-model-name', 'meta-llama/Llama-4-Scout-17B-16E-Instruct',
      '--tensor-parallel-size', '4',
      '--max-model-len', '131072',
      '--gpu-memory-utilization', '0.9',
      '--max-num-seqs', '64',
      '--enable-auto-tool-choice', '--tool-call-parser', 'llama4_pythonic',
    ]);
    expect(c.resources).toEqual({
      requests: { ...gpu('4'), cpu: '32', memory: '512Gi' },
      limits: { ...gpu('4'), memory: '512Gi' },
    });
    expect(products(d)![0]).toBe('NVIDIA-H100-80GB-HBM3');
    expect(d.spec!.template.spec!.volumes).toEqual([cacheClaim, shm('8Gi')]);
  });

  it('mistral-7b-lora: vLLM with three adapters, one copied from S3 by an init container', () => {
    const { d, c } = render('mistral-7b-lora');
    // the adapters are loaded at run time (VLLM_ALLOW_RUNTIME_LORA_UPDATING), not on the command line
    expect(c.env).toContainEqual({ name: 'VLLM_ALLOW_RUNTIME_LORA_UPDATING', value: 'True' });
    expect(desiredAdapters(models.get('mistral-7b-lora')!)).toEqual([
      { name: 'customer-support', ref: 'predibase/customer_support' },
      { name: 'magicoder', ref: 'predibase/magicoder' },
      { name: 'acme-tickets', ref: '/models-cache/s3/acme-ml-models/adapters/tickets-v3' },
    ]);
    // adding an hf:// adapter or removing one leaves the pod template as it is (no rollout)
    const model = models.get('mistral-7b-lora')!;
    const hashOf = (loraAdapters: NonNullable<Model['spec']['loraAdapters']>) =>
      engineAdapter('vllm').renderDeployment({
        model: { ...model, spec: { ...model.spec, loraAdapters } },
        replicas: 1,
      }).metadata!.annotations![TEMPLATE_HASH_ANNOTATION];
    const adapters = model.spec.loraAdapters!;
    expect(hashOf([...adapters, { name: 'sql', source: 'hf://org/sql-lora' }])).toBe(
      hashOf(adapters),
    );
    expect(hashOf(adapters.filter((a) => a.name !== 'magicoder'))).toBe(hashOf(adapters));
    // prettier-ignore
    expect(c.args).toEqual([
      'mistralai/Mistral-7B-v0.1',
      '--host', '0.0.0.0', '--port', '8000',
      '--served-model-name', 'mistral-7b-lora',
      '--tensor-parallel-size', '1',
      '--max-model-len', '8192',
      '--dtype', 'bfloat16',
      '--gpu-memory-utilization', '0.9',
      '--max-num-seqs', '32',
      '--enable-lora', '--max-loras', '4', '--max-lora-rank', '16',
    ]);
    const pod = d.spec!.template.spec!;
    expect(pod.initContainers).toEqual([
      {
        name: 'fetch-weights',
        image: 'amazon/aws-cli:2.17.0',
        command: ['sh', '-c'],
        args: [
          "aws s3 sync 's3://acme-ml-models/adapters/tickets-v3' '/models-cache/s3/acme-ml-models/adapters/tickets-v3' --only-show-errors",
        ],
        envFrom: [{ secretRef: { name: 'hf-token' } }],
        volumeMounts: [{ name: 'model-cache', mountPath: '/models-cache', subPath: 'mistral-7b' }],
      },
    ]);
    expect(c.volumeMounts).toContainEqual({
      name: 'model-cache',
      mountPath: '/models-cache',
      subPath: 'mistral-7b',
    });
    expect(pod.volumes).toEqual([cacheClaim, shm('2Gi')]);
    expect(c.resources!.limits).toEqual({ ...gpu('1'), memory: '24Gi' });
  });

  it('mistral-7b: TGI on one A10G, flags as args to the image entrypoint', () => {
    const { d, c } = render('mistral-7b', 0);
    expect(d.spec!.replicas).toBe(0);
    expect(c.image).toBe(TGI_IMAGE);
    expect(c.command).toBeUndefined();
    // prettier-ignore
    expect(c.args).toEqual([
      '--model-id', 'mistralai/Mistral-7B-Instruct-v0.3',
      '--hostname', '0.0.0.0', '--port', '8080',
      '--num-shard', '1',
      '--max-total-tokens', '16384',
      '--max-input-tokens', '12288',
      '--dtype', 'bfloat16',
      '--max-concurrent-requests', '32',
      '--max-batch-prefill-tokens', '16384',
      '--usage-stats', 'off',
    ]);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.resources).toEqual({
      requests: { ...gpu('1'), cpu: '4', memory: '16Gi' },
      limits: { ...gpu('1'), memory: '16Gi' },
    });
    expect(products(d)![0]).toBe('NVIDIA-A10G');
    expect(d.spec!.template.spec!.volumes).toEqual([cacheEmpty, shm('2Gi')]);
    expect(c.envFrom).toEqual([{ secretRef: { name: 'hf-token' } }]);
  });

  it('mistral-large-2: TGI sharded four ways on H100s', () => {
    const { d, c } = render('mistral-large-2');
    // prettier-ignore
    expect(c.args).toEqual([
      '--model-id', 'mistralai/Mistral-Large-Instruct-2411',
      '--hostname', '0.0.0.0', '--port', '8080',
      '--num-shard', '4',
      '--max-total-tokens', '32768',
      '--max-input-tokens', '30720',
      '--dtype', 'bfloat16',
      '--max-concurrent-requests', '64',
      '--max-batch-prefill-tokens', '32768',
      '--usage-stats', 'off',
    ]);
    expect(c.resources).toEqual({
      requests: { ...gpu('4'), cpu: '32', memory: '384Gi' },
      limits: { ...gpu('4'), memory: '384Gi' },
    });
    expect(d.spec!.template.spec!.volumes).toEqual([cacheClaim, shm('8Gi')]);
  });

  it('qwen3-32b: vLLM with TP 2, tool and reasoning parsers', () => {
    const { d, c } = render('qwen3-32b');
    // prettier-ignore
    expect(c.args).toEqual([
      'Qwen/Qwen3-32B',
      '--host', '0.0.0.0', '--port', '8000',
      '--served-model-name', 'Qwen/Qwen3-32B',
      '--tensor-parallel-size', '2',
      '--max-model-len', '32768',
      '--dtype', 'bfloat16',
      '--gpu-memory-utilization', '0.9',
      '--max-num-seqs', '128',
      '--enable-prefix-caching',
      '--enable-auto-tool-choice', '--tool-call-parser', 'hermes',
      '--reasoning-parser', 'qwen3',
    ]);
    expect(c.resources).toEqual({
      requests: { ...gpu('2'), cpu: '16', memory: '128Gi' },
      limits: { ...gpu('2'), memory: '128Gi' },
    });
    expect(d.spec!.template.spec!.volumes).toEqual([cacheClaim, shm('4Gi')]);
  });

  it('every example probes /health on the named port with a startup budget of an hour', () => {
    for (const name of models.keys()) {
      const { c } = render(name);
      for (const probe of vllmProbes(c)) {
        expect(probe?.httpGet).toEqual({ path: '/health', port: 'http', scheme: 'HTTP' });
      }
      expect(c.startupProbe).toMatchObject({ periodSeconds: 10, failureThreshold: 360 });
      expect(c.readinessProbe).toMatchObject({ periodSeconds: 5, failureThreshold: 3 });
      expect(c.livenessProbe).toMatchObject({ periodSeconds: 10, failureThreshold: 6 });
      expect(c.env).toContainEqual({ name: 'HF_HOME', value: '/models-cache' });
    }
  });
});
