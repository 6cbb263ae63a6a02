// Starts a container's process in-process: engine-sim for vLLM and TGI images (with the
// container's command and args, at the pod IP and the engine's port), a stub HTTP server for
// every other image. Engine-sim is loaded lazily so the rest of kube-sim works without it.
import type { Container, Pod } from './kube-types.js';
import { startStubServer } from './stub-container-server.js';

export interface RunningContainer {
  /** Graceful stop. */
  close(): Promise<void>;
  /** Settles if the process ends on its own (e.g. an engine fault "crash after N requests"). */
  exited?: Promise<{ exitCode: number; reason?: string; message?: string }>;
}

export interface StartContainerOptions {
  container: Container;
  /** The pod the container belongs to (for a runtime that reads its metadata or volumes). */
  pod?: Pod;
  podIP: string;
  /** GPU type key of the node (e.g. "h100"), if any. */
  gpu?: string;
  timeScale: number;
  /** Receives what the container prints (stdout and stderr), for `kubectl logs`. */
  log?: (line: string) => void;
}

export interface StartEngineSimOptions {
  argv: string[];
  engine?: 'vllm' | 'tgi';
  host?: string;
  port?: number;
  gpu?: string;
  timeScale?: number;
  loadSeconds?: number;
  log?: (line: string) => void;
  /** The container's literal environment variables (valueFrom entries are left out). */
  env?: Record<string, string>;
}

export type StartEngineSim = (options: StartEngineSimOptions) => Promise<{
  url: string;
  close(): Promise<void>;
  exited?: Promise<number>;
}>;

export type ContainerRuntime = (options: StartContainerOptions) => Promise<RunningContainer>;

/** Which engine an image runs, if kube-sim simulates it. */
export function engineForImage(image: string | undefined): 'vllm' | 'tgi' | undefined {
  const name = (image ?? '')
    .replace(/^(docker\.io\/|index\.docker\.io\/)/, '')
    .replace(/[:@].*$/, '');
  if (name === 'vllm/vllm-openai' || name === 'library/vllm/vllm-openai') return 'vllm';
  if (name === 'ghcr.io/huggingface/text-generation-inference') return 'tgi';
  return undefined;
}

/** The port an engine listens on: its --port flag, else the first container port, else its default. */
export function enginePort(argv: string[], container: Container, engine: 'vllm' | 'tgi'): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--port' && argv[i + 1] && /^\d+$/.test(argv[i + 1] ?? ''))
      return Number(argv[i + 1]);
    const m = /^--port=(\d+)$/.exec(a);
    if (m) return Number(m[1]);
  }
  const envPort = container.env?.find((e) => e.name === 'PORT')?.value;
  if (engine === 'tgi' && envPort && /^\d+$/.test(envPort)) return Number(envPort);
  return container.ports?.[0]?.containerPort ?? (engine === 'vllm' ? 8000 : 80);
}

/** The engine's command line: command + args, plus TGI's environment-variable settings. */
export function engineArgv(container: Container, engine: 'vllm' | 'tgi'): string[] {
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  if (engine === 'tgi') {
    const env = new Map((container.env ?? []).map((e) => [e.name, e.value ?? '']));
    const fromEnv: [string, string][] = [
      ['MODEL_ID', '--model-id'],
      ['MAX_CONCURRENT_REQUESTS', '--max-concurrent-requests'],
      ['MAX_INPUT_TOKENS', '--max-input-tokens'],
      ['MAX_TOTAL_TOKENS', '--max-total-tokens'],
      ['NUM_SHARD', '--num-shard'],
      ['QUANTIZE', '--quantize'],
    ];
    for (const [name, flag] of fromEnv) {
      const value = env.get(name);
      if (value && !argv.some((a) => a === flag || a.startsWith(`${flag}=`)))
        argv.push(flag, value);
    }
  }
  return argv;
}

/** The TCP ports a stub container listens on: its declared ports and those its probes use. */
export function stubPorts(container: Container): number[] {
  const ports = new Set(
    (container.ports ?? [])
      .filter((p) => (p.protocol ?? 'TCP') === 'TCP')
      .map((p) => p.containerPort),
  );
  for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
    const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
    if (typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port)))
      ports.add(Number(port));
  }
  return [...ports];
}

async function loadEngineSim(): Promise<StartEngineSim> {
  const mod = (await import('@bascule/engine-sim')) as { startEngineSim?: StartEngineSim };
  if (typeof mod.startEngineSim !== 'function')
    throw new Error('engine-sim is not available in this build');
  return mod.startEngineSim;
}

export function createContainerRuntime(startEngineSim?: StartEngineSim): ContainerRuntime {
  return async ({ container, podIP, gpu, timeScale, log }) => {
    const engine = engineForImage(container.image);
    if (engine) {
      const start = startEngineSim ?? (await loadEngineSim());
      const argv = engineArgv(container, engine);
      const handle = await start({
        argv,
        engine,
        host: podIP,
        port: enginePort(argv, container, engine),
        gpu,
        timeScale,
        ...(log ? { log } : {}),
        env: Object.fromEntries(
          (container.env ?? []).flatMap((e) => (e.value !== undefined ? [[e.name, e.value]] : [])),
        ),
      });
      const running: RunningContainer = { close: () => handle.close() };
      if (handle.exited) {
        running.exited = handle.exited.then((code) => ({
          exitCode: code,
          reason: code === 0 ? 'Completed' : 'Error',
          message: `${engine === 'vllm' ? 'vLLM' : 'TGI'} server exited with code ${code}`,
        }));
      }
      return running;
    }
    const ports = stubPorts(container);
    const stub = await startStubServer(podIP, ports, container.name);
    log?.(
      `kube-sim stub for ${container.image ?? ''}: listening on ${ports.length > 0 ? ports.map((p) => `${podIP}:${p}`).join(', ') : 'no ports'}`,
    );
    return {
      close: async () => {
        log?.('kube-sim stub: stopping (SIGTERM)');
        await stub.close();
      },
    };
  };
}
