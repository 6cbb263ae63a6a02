// The cluster controllers running engine images (vLLM, TGI) as engine-sim at their pod IPs:
// ready through their probes, restarted after a crash, CrashLoopBackOff on bad flags.
import { waitFor } from '@bascule/test-support';
import { describe, expect, it } from 'vitest';
import { deployment, ns, setup, useClusterFixture } from './cluster-test-fixture.js';
import { RESOURCES, type Deployment } from './kube-types.js';

useClusterFixture();
describe('createCluster with engine-sim', () => {
  it('runs vLLM images as engine-sim at the pod IP on port 8000, ready through its probes', async () => {
    const { store, pods, available } = setup('h100:1x8');
    const dep = deployment('llm', { gpus: 1, image: 'vllm/vllm-openai:v0.11.0' });
    const container = (dep.spec as Deployment['spec']).template.spec.containers[0]!;
    container.args = [
      '--model',
      'meta-llama/Llama-3.1-8B-Instruct',
      '--served-model-name',
      'llama-8b',
      '--max-model-len',
      '8192',
    ];
    container.ports = [{ name: 'http', containerPort: 8000 }];
    container.readinessProbe = { httpGet: { path: '/health', port: 'http' }, periodSeconds: 2 };
    container.livenessProbe = {
      httpGet: { path: '/health', port: 'http' },
      periodSeconds: 10,
      failureThreshold: 30,
    };
    store.create(RESOURCES.deployments, dep);
    await waitFor('llm available', () => available('llm'), 30_000, 20);
    const pod = pods('llm')[0]!;
    const res = await fetch(`http://${pod.status!.podIP!}:8000/v1/models`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { id: string }[] };
    expect(body.data.map((m) => m.id)).toContain('llama-8b');
    // Deleting the Deployment deletes the pod, and the kubelet stops its engine.
    store.delete(RESOURCES.deployments, ns, 'llm');
    const url = `http://${pod.status!.podIP!}:8000/health`;
    const refused = await waitFor(
      'engine stopped',
      async () => {
        try {
          await fetch(url);
          return undefined;
        } catch (err) {
          // A reused keep-alive connection may first be reset; then nothing listens any more.
          const code = (err as { cause?: { code?: string } }).cause?.code;
          return code === 'ECONNREFUSED' ? code : undefined;
        }
      },
      15_000,
      20,
    );
    expect(refused).toBe('ECONNREFUSED');
    expect(
      store.list(RESOURCES.events, { namespace: ns }).items.some((e) => e.reason === 'Killing'),
    ).toBe(true);
  });

  it('restarts an engine that crashes (fault flag), which then serves again', async () => {
    const { store, pods, available } = setup('h100:1x8');
    const dep = deployment('crashy', { gpus: 1, image: 'vllm/vllm-openai:v0.11.0' });
    const container = (dep.spec as Deployment['spec']).template.spec.containers[0]!;
    container.args = ['--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--fault-crash-after', '1'];
    container.ports = [{ name: 'http', containerPort: 8000 }];
    container.readinessProbe = { httpGet: { path: '/health', port: 'http' }, periodSeconds: 1 };
    store.create(RESOURCES.deployments, dep);
    await waitFor('crashy available', () => available('crashy'), 30_000, 20);
    const ip = pods('crashy')[0]!.status!.podIP!;
    // --fault-crash-after 1: the engine serves one request, and crashes on the next.
    let crashed = false;
    for (let i = 0; i < 3 && !crashed; i++) {
      crashed = await fetch(`http://${ip}:8000/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'Qwen/Qwen2.5-0.5B-Instruct', prompt: 'hi', max_tokens: 2 }),
      }).then(
        () => false,
        () => true,
      );
    }
    expect(crashed).toBe(true);
    const restarted = await waitFor(
      'restarted and ready',
      () => {
        const s = pods('crashy')[0]?.status?.containerStatuses?.[0];
        return s && s.restartCount >= 1 && s.ready ? s : undefined;
      },
      30_000,
      20,
    );
    expect(restarted.restartCount).toBe(1);
    expect(restarted.lastState.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
      message: 'vLLM server exited with code 1',
    });
    expect(pods('crashy')[0]!.status!.podIP).toBe(ip);
    const health = await fetch(`http://${ip}:8000/health`);
    expect(health.status).toBe(200);
  });

  it('puts an engine with bad flags into CrashLoopBackOff with the engine error', async () => {
    const { store, pods } = setup('h100:1x8');
    const dep = deployment('bad', { gpus: 1, image: 'vllm/vllm-openai:v0.11.0' });
    const container = (dep.spec as Deployment['spec']).template.spec.containers[0]!;
    container.args = ['--model', 'meta-llama/Llama-3.1-8B-Instruct', '--max-num-seqs', 'lots'];
    store.create(RESOURCES.deployments, dep);
    const status = await waitFor(
      'crash loop',
      () => {
        const s = pods('bad')[0]?.status?.containerStatuses?.[0];
        return s?.state.waiting?.reason === 'CrashLoopBackOff' ? s : undefined;
      },
      15_000,
      20,
    );
    expect(status.restartCount).toBeGreaterThanOrEqual(2);
    expect(status.ready).toBe(false);
    expect(pods('bad')[0]?.status?.phase).toBe('Running');
    expect(status.lastState.terminated?.exitCode).toBe(2);
    expect(status.lastState.terminated?.message).toContain(
      "argument --max-num-seqs: invalid int value: 'lots'",
    );
    const reasons = store.list(RESOURCES.events, { namespace: ns }).items.map((e) => e.reason);
    expect(reasons).toContain('BackOff');
  });

  it('runs TGI images as engine-sim with their --model-id', async () => {
    const { store, pods, available } = setup('l4:1x1');
    const dep = deployment('tgi', {
      gpus: 1,
      image: 'ghcr.io/huggingface/text-generation-inference:2.4.0',
    });
    const container = (dep.spec as Deployment['spec']).template.spec.containers[0]!;
    container.args = [
      '--model-id',
      'Qwen/Qwen2.5-0.5B-Instruct',
      '--port',
      '8080',
      '--max-total-tokens',
      '4096',
    ];
    container.readinessProbe = { httpGet: { path: '/health', port: 'http' }, periodSeconds: 2 };
    store.create(RESOURCES.deployments, dep);
    await waitFor('tgi available', () => available('tgi'), 30_000, 20);
    const info = (await (
      await fetch(`http://${pods('tgi')[0]!.status!.podIP!}:8080/info`)
    ).json()) as { model_id: string };
    expect(info.model_id).toBe('Qwen/Qwen2.5-0.5B-Instruct');
  });
});
