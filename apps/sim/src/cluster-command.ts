// `pnpm sim cluster --nodes h100:2x8,l4:4x1 --port 6443 --kubeconfig .bascule/kubeconfig`:
// starts kube-sim, writes a kubeconfig, prints how to reach it, stops on SIGINT/SIGTERM.
// With --state-file, the cluster's objects survive a restart (docs/simulation.md).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  GPU_TAINTS,
  NODE_PLATFORMS,
  isGpuTaints,
  isNodePlatform,
  startKubeSim,
  StateFileError,
} from '@bascule/kube-sim';

export const summary =
  'a simulated Kubernetes cluster with GPU nodes (kube-sim) that kubectl talks to';

const USAGE = `Usage: pnpm sim cluster [flags]

  --nodes SPEC        node groups TYPE:COUNTxGPUS, comma-separated (default h100:2x8,l4:4x1)
                      types: h100 h200 a100 a100-40gb l40s l4 a10g t4, or cpu:COUNT
  --port N            API server port (default 6443; 0 = any free port)
  --host ADDR         address to bind (default 127.0.0.1)
  --kubeconfig PATH   write a kubeconfig here (default .bascule/kubeconfig)
  --token TOKEN       require this bearer token (default: no authentication)
  --tls               serve HTTPS with a self-signed certificate (kubectl sends bearer tokens,
                      e.g. ServiceAccount tokens under RBAC, only over TLS; pair with --token)
  --time-scale X      run simulated delays X times faster (default 1)
  --platform NAME     label GPU nodes like a platform as it comes: gfd (GPU feature discovery's
                      nvidia.com/gpu.product, the default), gke (cloud.google.com/gke-accelerator
                      and GCE machine types) or eks (EC2 instance types)
  --gpu-taints NAME   taint GPU nodes like a platform: gke (nvidia.com/gpu=present:NoSchedule, and
                      pods requesting nvidia.com/gpu get the toleration, as GKE's
                      ExtendedResourceToleration admission does; the default) or gpu-operator
                      (no taint, like a cluster where the NVIDIA GPU operator set up the nodes)
  --no-gpu-taint      same as --gpu-taints gpu-operator
  --state-file PATH   keep the cluster's objects in PATH (mode 0600; it holds Secrets) and load
                      them on the next start; Nodes, Pods and Events start anew (default: none,
                      the cluster lives in memory only)
`;

function fail(message: string): number {
  process.stderr.write(`sim cluster: ${message}\n\n${USAGE}`);
  return 2;
}

export async function run(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        nodes: { type: 'string', default: 'h100:2x8,l4:4x1' },
        port: { type: 'string', default: '6443' },
        host: { type: 'string', default: '127.0.0.1' },
        kubeconfig: { type: 'string', default: '.bascule/kubeconfig' },
        token: { type: 'string' },
        tls: { type: 'boolean', default: false },
        'time-scale': { type: 'string', default: '1' },
        'no-gpu-taint': { type: 'boolean', default: false },
        'gpu-taints': { type: 'string' },
        platform: { type: 'string', default: 'gfd' },
        'state-file': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(String(values.port)) || port > 65535)
    return fail(`--port: "${String(values.port)}" is not a port number`);
  const timeScale = Number(values['time-scale']);
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    return fail(`--time-scale: "${String(values['time-scale'])}" must be a positive number`);
  }
  const platform = String(values.platform);
  if (!isNodePlatform(platform))
    return fail(`--platform: "${platform}" is not one of ${NODE_PLATFORMS.join(', ')}`);
  const gpuTaints = String(
    values['gpu-taints'] ?? (values['no-gpu-taint'] ? 'gpu-operator' : 'gke'),
  );
  if (!isGpuTaints(gpuTaints))
    return fail(`--gpu-taints: "${gpuTaints}" is not one of ${GPU_TAINTS.join(', ')}`);
  if (values['no-gpu-taint'] && gpuTaints !== 'gpu-operator')
    return fail('--no-gpu-taint contradicts --gpu-taints ' + gpuTaints);
  const kubeconfigPath = resolve(String(values.kubeconfig));
  const stateFile =
    typeof values['state-file'] === 'string' ? resolve(values['state-file']) : undefined;
  if (stateFile !== undefined && values['state-file'] === '')
    return fail('--state-file: must not be empty');
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  try {
    sim = await startKubeSim({
      nodes: String(values.nodes),
      host: String(values.host),
      port,
      token: typeof values.token === 'string' ? values.token : undefined,
      tls: values.tls === true,
      timeScale,
      kubeconfigPath,
      gpuTaints,
      platform,
      stateFile,
    });
  } catch (err) {
    if (err instanceof StateFileError) {
      process.stderr.write(`sim cluster: ${err.message}\n`);
      return 1;
    }
    const e = err as { code?: string; message?: string };
    if (e.code === 'EADDRINUSE') return fail(`--port: ${values.host}:${port} is already in use`);
    return fail(e.message ?? String(err));
  }
  process.stdout.write(
    `kube-sim listening on ${sim.url} with ${sim.cluster.nodeNames.length} nodes (${String(values.nodes)}, labelled like ${platform}, GPU taints like ${gpuTaints}), time scale ${timeScale}\n` +
      `kubeconfig: ${kubeconfigPath}\n` +
      (stateFile
        ? `state:      ${stateFile} (${sim.restoredObjects} objects restored)\n\n`
        : '\n') +
      `  export KUBECONFIG=${kubeconfigPath}\n  kubectl get nodes\n\n` +
      `Take a node down: kubectl annotate node ${sim.cluster.nodeNames[0] ?? 'NODE'} sim.bascule.dev/state=down --overwrite\n` +
      `Press Ctrl-C to stop.\n`,
  );
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stdout.write('kube-sim: stopping\n');
  await sim.close();
  return 0;
}
