// kube-sim's built-in cluster behaviour on top of an ObjectStore: simulated GPU nodes, the
// Deployment and ReplicaSet controllers, the scheduler, the kubelet (engine-sim or stub
// containers at per-pod loopback IPs, real HTTP probes), EndpointSlices, and node faults.
import type { KubeObject, ObjectStore } from '../store/types.js';
import type { PodLogOptions, PodLogStream } from './container-log.js';
import { buildNodes } from './build-nodes.js';
import {
  createContainerRuntime,
  type ContainerRuntime,
  type StartEngineSim,
} from './container-runtime.js';
import { DeploymentController } from './deployment-controller.js';
import { DisruptionController } from './disruption-controller.js';
import { EndpointSliceController } from './endpoint-slice-controller.js';
import { evictPod } from './evict-pod.js';
import { createEventRecorder } from './event-recorder.js';
import { Kubelet } from './kubelet.js';
import { RESOURCES, type Node } from './kube-types.js';
import { NodeController } from './node-controller.js';
import { parseNodeSpec } from './parse-node-spec.js';
import type { NodePlatform } from './platform-labels.js';
import { createPodIpAllocator } from './pod-ip-allocator.js';
import { ReplicaSetController } from './replica-set-controller.js';
import { Scheduler } from './scheduler.js';
import { TaintEvictionController } from './taint-eviction-controller.js';
import { DefaultServiceAccountController, VolumeController } from './volume-binding.js';
import { createTimeScale } from './time-scale.js';

export interface ClusterOptions {
  store: ObjectStore;
  /** Node spec, e.g. "h100:2x8,l4:4x1" (see parseNodeSpec). */
  nodes: string;
  /** Speed-up factor for simulated delays (pulls, probes, back-off, engine load). Default 1. */
  timeScale?: number;
  /** Taint GPU nodes with nvidia.com/gpu=present:NoSchedule (default true). */
  gpuTaint?: boolean;
  /** Second octet of the pod IP block 127.B.0.0/16 (default: random in 10..249; see claimPodIpBlock). */
  podIpBlock?: number;
  /** Label GPU nodes like this platform (default gfd; see platform-labels.ts). */
  platform?: NodePlatform;
  /** Simulated image pull seconds per image (default 30 for engine images, 2 for others). */
  pullSeconds?: (image: string) => number;
  /** Replaces engine-sim/stub containers (e.g. to count starts); real processes by default. */
  runtime?: ContainerRuntime;
  /** Engine-sim's start function (default: imported from the engine module). */
  startEngineSim?: StartEngineSim;
}

export interface Cluster {
  /** Names of the nodes created from the spec. */
  nodeNames: string[];
  /** Takes a node down or brings it back (same as the sim.bascule.dev/state annotation). */
  setNodeState(name: string, state: 'up' | 'down'): void;
  /** Crashes a pod's containers (or the one named); false when nothing runs for that pod. */
  crashContainer(namespace: string, pod: string, container?: string): boolean;
  /** The Eviction API (pods/eviction): deletes the pod unless a PodDisruptionBudget forbids it. */
  evictPod(namespace: string, pod: string, eviction?: KubeObject): void;
  /** A container's log (pods/log); throws a StatusError as the API server answers. */
  podLog(namespace: string, pod: string, options: PodLogOptions): PodLogStream;
  close(): Promise<void>;
}

/** The node's heartbeat Lease in kube-node-lease (created once; kube-sim nodes need no renewals). */
function createNodeLease(store: ObjectStore, node: Node): void {
  const ref = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
  try {
    if (store.get(ref, 'kube-node-lease', node.metadata.name)) return;
    const stored = store.get(RESOURCES.nodes, undefined, node.metadata.name);
    store.create(ref, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: node.metadata.name,
        namespace: 'kube-node-lease',
        ownerReferences: stored
          ? [
              {
                apiVersion: 'v1',
                kind: 'Node',
                name: node.metadata.name,
                uid: stored.metadata.uid ?? '',
              },
            ]
          : [],
      },
      spec: {
        holderIdentity: node.metadata.name,
        leaseDurationSeconds: 40,
        renewTime: new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'),
      },
    });
  } catch {
    // No lease support or no kube-node-lease namespace in this store: leases are cosmetic here.
  }
}

export function createCluster(options: ClusterOptions): Cluster {
  const { store } = options;
  const time = createTimeScale(options.timeScale ?? 1);
  const groups = parseNodeSpec(options.nodes);
  const now = () => new Date();
  const recorder = createEventRecorder(store, now);
  const nodes: Node[] = buildNodes(groups, {
    gpuTaint: options.gpuTaint ?? true,
    platform: options.platform,
  });
  for (const node of nodes) {
    const existing = store.get(RESOURCES.nodes, undefined, node.metadata.name);
    if (!existing) store.create(RESOURCES.nodes, node, { fieldManager: 'kube-sim' });
  }
  for (const node of nodes) createNodeLease(store, node);
  for (const node of nodes) {
    // Status is a subresource: write it separately in case create dropped it.
    const stored = store.get(RESOURCES.nodes, undefined, node.metadata.name);
    if (stored && !(stored.status as Node['status'])?.capacity) {
      stored.status = node.status;
      store.update(RESOURCES.nodes, stored, { subresource: 'status' });
    }
  }
  const kubelet = new Kubelet({
    store,
    recorder,
    time,
    runtime: options.runtime ?? createContainerRuntime(options.startEngineSim),
    ips: createPodIpAllocator(options.podIpBlock),
    now,
    pullSeconds: options.pullSeconds,
  });
  const nodeController = new NodeController(store, kubelet, recorder, time, now);
  const controllers = [
    new DeploymentController(store, recorder, time, now),
    new ReplicaSetController(store, recorder, time),
    new Scheduler(store, recorder, now),
    new EndpointSliceController(store),
    nodeController,
    new DisruptionController(store, now),
    new TaintEvictionController(store, recorder, time, now),
    new VolumeController(store, recorder),
    new DefaultServiceAccountController(store),
  ];
  for (const c of controllers) c.start();
  kubelet.start();
  return {
    nodeNames: nodes.map((n) => n.metadata.name),
    setNodeState: (name, state) => nodeController.setNodeState(name, state),
    crashContainer: (namespace, pod, container) =>
      kubelet.crashContainer(namespace, pod, container),
    evictPod: (namespace, pod, eviction) => evictPod(store, namespace, pod, eviction),
    podLog: (namespace, pod, opts) => kubelet.podLog(namespace, pod, opts),
    async close() {
      for (const c of controllers) c.close();
      await kubelet.close();
    },
  };
}
