// The generated CRDs and the examples, driven by the real kubectl against kube-sim: they install,
// apply, print the columns users see, default server-side, and scale through the subresource.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKubeSim, type KubeSim } from '@bascule/kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl } from '../support/has-kubectl.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
let sim: KubeSim;
let dir: string;

function kubectl(
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      args,
      { cwd: root, env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') }, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input ?? '');
  });
}

beforeAll(async () => {
  if (!hasKubectl) return;
  dir = await mkdtemp(join(tmpdir(), 'spec-crds-'));
  sim = await startKubeSim({ nodes: 'l4:1x1', port: 0, kubeconfigPath: join(dir, 'kubeconfig') });
});
afterAll(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!hasKubectl)('CRDs with kubectl', () => {
  it('install, take every example, and print engine, GPUs, replicas, status and age', async () => {
    const crds = await kubectl(['apply', '-f', 'manifests/crds/']);
    expect(crds.stderr).toBe('');
    expect(crds.stdout).toContain(
      'customresourcedefinition.apiextensions.k8s.io/models.bascule.dev created',
    );
    const applied = await kubectl(['apply', '-f', 'manifests/examples/']);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain('model.bascule.dev/qwen3-32b created');
    expect(applied.stdout).toContain('route.bascule.dev/private-chat created');
    const table = await kubectl(['get', 'models']);
    expect(table.stdout.split('\n')[0]!.split(/\s+/)).toEqual([
      'NAME',
      'ENGINE',
      'GPUS',
      'READY',
      'DESIRED',
      'STATUS',
      'AGE',
    ]);
    expect(table.stdout).toMatch(/^qwen3-32b\s+vllm\s+nvidia-h100:2\s/m);
    const short = await kubectl(['get', 'mdl,prv,rt', '-o', 'name']);
    expect(short.stdout.split('\n').filter(Boolean)).toHaveLength(14);
    const category = await kubectl(['get', 'bascule', '-o', 'name']);
    expect(category.stdout).toContain('route.bascule.dev/chat');
  });

  it('fills defaults on the server from the CRD schema', async () => {
    const r = await kubectl([
      'get',
      'model',
      'mistral-7b',
      '-o',
      'jsonpath={.spec.autoscaling.scaleUpDelay} {.spec.loadBalancing.strategy}',
    ]);
    expect(r.stdout).toBe('0s least-outstanding');
    const route = await kubectl([
      'get',
      'route',
      'batch',
      '-o',
      'jsonpath={.spec.fallback.triggers}',
    ]);
    expect(JSON.parse(route.stdout)).toEqual([
      'noCapacity',
      'coldStart',
      'queueWait',
      'upstreamError',
      'contextLength',
    ]);
  });

  it('scales a Model through the scale subresource', async () => {
    const scaled = await kubectl(['scale', 'model', 'qwen3-32b', '--replicas=3']);
    expect(scaled.stdout).toContain('model.bascule.dev/qwen3-32b scaled');
    expect(
      (await kubectl(['get', 'model', 'qwen3-32b', '-o', 'jsonpath={.spec.replicas}'])).stdout,
    ).toBe('3');
  });

  it('rejects what the schema forbids', async () => {
    const bad = `apiVersion: bascule.dev/v1alpha1\nkind: Model\nmetadata: {name: bad}\nspec: {source: hf://a/b, engine: sglang, gpus: nvidia-l4:1}\n`;
    const r = await kubectl(['apply', '-f', '-'], bad);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('spec.engine');
  });
});
