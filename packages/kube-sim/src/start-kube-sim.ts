// kube-sim in one call: the object store, the Kubernetes API server over HTTP, and the built-in
// cluster behaviour (nodes from a spec, controllers, scheduler, kubelet), plus a kubeconfig
// that kubectl and @kubernetes/client-node use as they are.
import { startApiServer, writeKubeconfig } from './api/index.js';
import {
  builtinDefaultsPlugin,
  claimPodIpBlock,
  podAdmissionPlugin,
  type GpuTaints,
  createCluster,
  type Cluster,
  type ContainerRuntime,
  type NodePlatform,
} from './cluster/index.js';
import {
  createStore,
  persistStore,
  readStateFile,
  StateFileError,
  type MemoryStore,
  type StorePersister,
} from './store/index.js';

export interface StartKubeSimOptions {
  /** Node spec, e.g. "h100:2x8,l4:4x1". */
  nodes: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Bearer token the API server requires (none by default). */
  token?: string;
  /** Serve HTTPS with a fresh self-signed certificate (kubectl sends bearer tokens, such as
   *  ServiceAccount tokens, only over TLS). Default false. */
  tls?: boolean;
  /** Speed-up factor for simulated delays (image pulls, model loads, probes). Default 1. */
  timeScale?: number;
  /** Where to write a kubeconfig for this cluster, if anywhere. */
  kubeconfigPath?: string;
  /** Taint GPU nodes with nvidia.com/gpu=present:NoSchedule (default true); false = gpuTaints 'gpu-operator'. */
  gpuTaint?: boolean;
  /**
   * How GPU nodes are tainted, like a named platform (default 'gke'): 'gke' taints them
   * nvidia.com/gpu=present:NoSchedule and runs the ExtendedResourceToleration admission (pods
   * requesting nvidia.com/gpu get the toleration); 'gpu-operator' taints nothing.
   */
  gpuTaints?: GpuTaints;
  /** Label GPU nodes like this platform: gfd (default), gke or eks (see platform-labels.ts). */
  platform?: NodePlatform;
  /** Replaces the containers' runtime (default: engine-sim for engine images, stubs otherwise). */
  runtime?: ContainerRuntime;
  /**
   * Keep the cluster's objects in this file (mode 0600): loaded on start, written at most every
   * 500 ms after a change and on close. Pods, Nodes and Events are not kept (see
   * keepInStateFile): the controllers recreate them. A bad file throws StateFileError.
   */
  stateFile?: string;
  /** A state file write failed (default: a line on stderr). */
  onStateError?: (err: unknown) => void;
}

export interface KubeSim {
  url: string;
  kubeconfigPath?: string;
  /** Objects loaded from the state file (0 without one, or on a first start). */
  restoredObjects: number;
  store: MemoryStore;
  cluster: Cluster;
  /** Takes a node down or brings it back (same as `kubectl annotate node X sim.bascule.dev/state=down`). */
  setNodeState(node: string, state: 'up' | 'down'): void;
  /** Crashes a pod's containers, or the one named. */
  crashContainer(namespace: string, pod: string, container?: string): boolean;
  close(): Promise<void>;
}

export async function startKubeSim(options: StartKubeSimOptions): Promise<KubeSim> {
  const store = createStore();
  store.use(builtinDefaultsPlugin());
  const gpuTaints: GpuTaints =
    options.gpuTaints ?? (options.gpuTaint === false ? 'gpu-operator' : 'gke');
  store.use(podAdmissionPlugin({ extendedResourceToleration: gpuTaints === 'gke', store }));
  const state = options.stateFile ? loadState(store, options) : undefined;
  const persister = state?.persister;
  const ipBlock = await claimPodIpBlock();
  let cluster: Cluster;
  try {
    cluster = createCluster({
      store,
      podIpBlock: ipBlock.block,
      nodes: options.nodes,
      timeScale: options.timeScale,
      gpuTaint: gpuTaints === 'gke',
      platform: options.platform,
      runtime: options.runtime,
    });
  } catch (err) {
    persister?.close();
    await ipBlock.release();
    throw err;
  }
  let api: { url: string; caCert?: string; close(): Promise<void> };
  try {
    api = await startApiServer({
      store,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      token: options.token,
      ...(options.tls ? { tls: 'self-signed' as const } : {}),
      pods: {
        evict: (namespace, name, eviction) => cluster.evictPod(namespace, name, eviction),
        log: (namespace, name, opts) => cluster.podLog(namespace, name, opts),
      },
    });
  } catch (err) {
    await cluster.close();
    persister?.close();
    await ipBlock.release();
    throw err;
  }
  const sim: KubeSim = {
    url: api.url,
    restoredObjects: state?.restored ?? 0,
    store,
    cluster,
    setNodeState: (node, state) => cluster.setNodeState(node, state),
    crashContainer: (namespace, pod, container) =>
      cluster.crashContainer(namespace, pod, container),
    async close() {
      await api.close();
      await cluster.close();
      persister?.close();
      await ipBlock.release();
    },
  };
  if (options.kubeconfigPath) {
    try {
      await writeKubeconfig(options.kubeconfigPath, {
        server: api.url,
        token: options.token,
        ...(api.caCert ? { caCert: api.caCert } : {}),
      });
    } catch (err) {
      await sim.close();
      throw err;
    }
    sim.kubeconfigPath = options.kubeconfigPath;
  }
  return sim;
}

/** Restores the state file's objects (if it exists) and keeps the file up to date from then on. */
function loadState(
  store: MemoryStore,
  options: StartKubeSimOptions,
): { persister: StorePersister; restored: number } {
  const file = options.stateFile!;
  const snapshot = readStateFile(file);
  if (snapshot) {
    try {
      store.restore(snapshot);
    } catch (err) {
      // A SnapshotError, or a plugin refusing a hand-edited object (e.g. a CRD): the file is bad.
      const reason = err instanceof Error ? err.message : String(err);
      throw new StateFileError(file, reason);
    }
  }
  const restored = snapshot?.resources.reduce((n, r) => n + r.items.length, 0) ?? 0;
  let failing = false;
  const persister = persistStore(store, {
    file,
    onError:
      options.onStateError ??
      ((err) => {
        // Once per run of failures, not once per change.
        if (failing) return;
        failing = true;
        process.stderr.write(
          `kube-sim: could not write the state file ${file}: ${err instanceof Error ? err.message : String(err)}\n`,
        );
      }),
  });
  return { persister, restored };
}
