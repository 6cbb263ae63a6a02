// Helpers for the cluster tests: kube-sim started in-process, the real kubectl pointed at it.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from '@bascule/kube-sim';
export { waitFor } from '@bascule/test-support';

import { kubectlRunner, spawnCollecting } from '../support/child-processes.js';

export { hasKubectl } from '../support/has-kubectl.js';

export interface ClusterHarness {
  sim: KubeSim;
  kubectl(args: string[], input?: string): Promise<string>;
  /** Starts a long-running kubectl (e.g. `get pods -w`); stop it with kill(). */
  spawnKubectl(args: string[]): { child: ChildProcess; output: () => string };
  close(): Promise<void>;
}

export async function startHarness(nodes: string, timeScale = 50): Promise<ClusterHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'kube-sim-cluster-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const sim = await startKubeSim({ nodes, timeScale, kubeconfigPath });
  const env = { ...process.env, KUBECONFIG: kubeconfigPath };
  const children = new Set<ChildProcess>();
  return {
    sim,
    kubectl: kubectlRunner(env, { timeoutMs: 60_000, maxBuffer: 8 << 20 }),
    spawnKubectl: (args) => spawnCollecting(children, 'kubectl', args, { env }),
    async close() {
      for (const c of children) c.kill('SIGTERM');
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const GPU_TOLERATION = `
      tolerations:
      - key: nvidia.com/gpu
        operator: Exists
        effect: NoSchedule`;

/** A vLLM Deployment with real vLLM args, a GPU request and HTTP probes on /health. */
export function vllmDeployment(
  name: string,
  opts: { gpus?: number; product?: string; replicas?: number } = {},
): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${opts.replicas ?? 1}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:${opts.product ? `\n      nodeSelector:\n        nvidia.com/gpu.product: ${opts.product}` : ''}${GPU_TOLERATION}
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.11.0
        args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--served-model-name", "llama-3.1-8b", "--max-model-len", "8192", "--tensor-parallel-size", "${opts.gpus ?? 1}", "--port", "8000"]
        ports:
        - {name: http, containerPort: 8000}
        resources:
          limits: {nvidia.com/gpu: "${opts.gpus ?? 1}"}
          requests: {cpu: "4", memory: 32Gi, nvidia.com/gpu: "${opts.gpus ?? 1}"}
        startupProbe:
          httpGet: {path: /health, port: http}
          periodSeconds: 5
          failureThreshold: 120
        readinessProbe:
          httpGet: {path: /health, port: http}
          periodSeconds: 5
        livenessProbe:
          httpGet: {path: /health, port: http}
          periodSeconds: 10
`;
}

/** A small web Deployment (stub container) that schedules on CPU or tolerated GPU nodes. */
export function webDeployment(
  name: string,
  opts: { replicas?: number; image?: string; gpus?: number } = {},
): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${opts.replicas ?? 1}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:${GPU_TOLERATION}
      containers:
      - name: web
        image: ${opts.image ?? 'nginx:1.27'}
        ports:
        - {name: http, containerPort: 8080}
        resources:
          requests: {cpu: 100m, memory: 64Mi}${opts.gpus ? `\n          limits: {nvidia.com/gpu: "${opts.gpus}"}` : ''}
        readinessProbe:
          httpGet: {path: /, port: http}
          periodSeconds: 2
`;
}
