// Test harness: kube-sim in-process over real HTTP, the real kubectl, and Bascule's controller
// (in-process, or the `bascule-server` CLI as a child process).
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ModelController, type ModelControllerOptions } from '@bascule/controller';
import { createKubeClient, type KubeClient } from '@bascule/kube';
import { startKubeSim, type KubeSim, type NodePlatform } from '@bascule/kube-sim';
import { pino } from 'pino';
export { waitFor } from '@bascule/test-support';

export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const CRDS = join(ROOT, 'manifests/crds');
export const EXAMPLES = join(ROOT, 'manifests/examples');

import { kubectlRunner, spawnCollecting } from '../../support/child-processes.js';

export { hasKubectl } from '../../support/has-kubectl.js';

export interface Harness {
  sim: KubeSim;
  kubeconfig: string;
  client: KubeClient;
  dir: string;
  kubectl(args: string[], input?: string): Promise<string>;
  kubectlJson<T = Record<string, unknown>>(args: string[]): Promise<T>;
  /** Starts an in-process controller (stopped by close()). */
  startController(
    options?: Partial<ModelControllerOptions>,
  ): Promise<ModelController & { logs: string[] }>;
  /** Starts a long-running kubectl (e.g. `get -w`), killed by close(). */
  spawnKubectl(args: string[]): { child: ChildProcess; output: () => string };
  /** Starts `bascule-server` as a child process (stopped by close()); `extraEnv` adds to (or, with undefined, removes from) its environment. */
  spawnServe(
    args: string[],
    extraEnv?: NodeJS.ProcessEnv,
  ): { child: ChildProcess; output: () => string };
  close(): Promise<void>;
}

export async function startHarness(
  nodes: string,
  timeScale = 50,
  platform?: NodePlatform,
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'bsc-controller-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const sim = await startKubeSim({ nodes, timeScale, kubeconfigPath: kubeconfig, platform });
  const env = { ...process.env, KUBECONFIG: kubeconfig };
  const controllers: ModelController[] = [];
  const children = new Set<ChildProcess>();
  const kubectl = kubectlRunner(env, { timeoutMs: 90_000, maxBuffer: 16 << 20 });
  const harness: Harness = {
    sim,
    kubeconfig,
    dir,
    client: createKubeClient({ kubeconfig }),
    kubectl,
    async kubectlJson<T>(args: string[]) {
      return JSON.parse(await kubectl([...args, '-o', 'json'])) as T;
    },
    async startController(options = {}) {
      const logs: string[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _enc, done) {
          logs.push(
            ...chunk
              .toString()
              .split('\n')
              .filter((l) => l !== ''),
          );
          done();
        },
      });
      const controller = new ModelController({
        client: createKubeClient({ kubeconfig }),
        logger: pino({ level: 'info' }, stream),
        plan: { capacityRecheckMs: 2_000, progressRecheckMs: 5_000 },
        ...options,
      });
      controllers.push(controller);
      await controller.start();
      return Object.assign(controller, { logs });
    },
    spawnKubectl: (args) => spawnCollecting(children, 'kubectl', args, { env }),
    spawnServe(args, extraEnv = {}) {
      // The built binary (`pnpm bascule-server`) when `pnpm build` made it, else the sources via tsx.
      const dist = join(ROOT, 'apps/control-plane/dist/main.js');
      const entry = existsSync(dist)
        ? [dist]
        : [
            '--import',
            'tsx',
            '--conditions',
            'source',
            join(ROOT, 'apps/control-plane/src/main.ts'),
          ];
      return spawnCollecting(
        children,
        process.execPath,
        [...entry, '--kubeconfig', kubeconfig, ...args],
        { cwd: ROOT, env: { ...env, ...extraEnv } },
      );
    },
    async close() {
      for (const c of children) c.kill('SIGKILL');
      await Promise.all(controllers.map((c) => c.stop()));
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await kubectl(['apply', '-f', CRDS]);
  return harness;
}

export interface ModelStatusView {
  metadata: { generation: number; resourceVersion: string };
  status?: {
    observedGeneration?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    replicas?: { desired: number; ready: number };
    endpoints?: { ip: string; port: number; ready: boolean; pod?: string; node?: string }[];
  };
}

/** A Model as kubectl reads it: its replica count and its status. */
export interface ModelView extends ModelStatusView {
  spec: { replicas?: number };
}

/** A condition of a Model, read with kubectl. */
export async function condition(h: Harness, model: string, type: string) {
  const m = await h.kubectlJson<ModelStatusView>(['get', 'model', model]);
  return m.status?.conditions?.find((c) => c.type === type);
}

/** A Model manifest (YAML as kubectl applies it). */
export function modelYaml(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Model',
    metadata: { name },
    spec,
  });
}

/** A Model of Llama 3.1 8B Instruct on vLLM with one L4 a replica; `spec` adds the rest. */
export function llamaOnL4(name: string, spec: Record<string, unknown>): string {
  return modelYaml(name, {
    source: 'hf://meta-llama/Llama-3.1-8B-Instruct',
    engine: 'vllm',
    gpus: 'nvidia-l4:1',
    ...spec,
  });
}
