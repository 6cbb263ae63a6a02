// The kubelets of every simulated node, as one controller: starts a PodWorker for each pod bound
// to an up node, stops it when the pod is deleted or its node goes down, gives each pod its own
// loopback IP, and crashes containers on request (from code, or the pod annotation
// `sim.bascule.dev/crash=now|<container>`, which it then removes).
import { listShared, watchShared } from './shared-reads.js';
import { badRequest, notFound } from '../store/status-error.js';
import type { ObjectStore } from '../store/types.js';
import type { PodLogOptions, PodLogStream } from './container-log.js';
import type { ContainerRuntime } from './container-runtime.js';
import { engineForImage } from './container-runtime.js';
import type { EventRecorder } from './event-recorder.js';
import { RESOURCES, type Node, type Pod } from './kube-types.js';
import type { PodIpAllocator } from './pod-ip-allocator.js';
import { PodWorker } from './pod-worker.js';
import type { TimeScale } from './time-scale.js';
import { createWorkQueue, objectKey, splitKey, type WorkQueue } from './work-queue.js';

export const CRASH_ANNOTATION = 'sim.bascule.dev/crash';

export interface KubeletOptions {
  store: ObjectStore;
  recorder: EventRecorder;
  time: TimeScale;
  runtime: ContainerRuntime;
  ips: PodIpAllocator;
  now: () => Date;
  /** Simulated image pull seconds; default: 30 for engine images, 2 for others. */
  pullSeconds?: (image: string) => number;
}

export function defaultPullSeconds(image: string): number {
  return engineForImage(image) ? 30 : 2;
}

export class Kubelet {
  private readonly workers = new Map<string, PodWorker>();
  private readonly terminating = new Set<string>();
  /** Workers in their grace period, killed at once if the kubelet closes. */
  private readonly stopping = new Set<PodWorker>();
  private readonly downNodes = new Set<string>();
  private readonly imageCache = new Set<string>();
  private readonly queue: WorkQueue;
  private readonly stops: (() => void)[] = [];

  constructor(private readonly options: KubeletOptions) {
    this.queue = createWorkQueue({ name: 'kubelet', reconcile: (key) => this.reconcile(key) });
  }

  start(): void {
    const { store } = this.options;
    this.stops.push(
      watchShared(store, RESOURCES.pods, (e) =>
        this.queue.add(objectKey(e.object.metadata.namespace, e.object.metadata.name ?? '')),
      ),
    );
    for (const pod of store.list(RESOURCES.pods).items)
      this.queue.add(objectKey(pod.metadata.namespace, pod.metadata.name ?? ''));
  }

  /** Marks a node down (its pods' processes stop) or up (bound pods start again). */
  setNodeDown(nodeName: string, down: boolean): Promise<void> {
    if (down) {
      this.downNodes.add(nodeName);
      const stopping = [...this.workers.values()]
        .filter((w) => w.nodeName === nodeName)
        .map((w) => this.stopWorker(w.key, 'node-down'));
      return Promise.all(stopping).then(() => undefined);
    }
    this.downNodes.delete(nodeName);
    for (const pod of listShared<Pod>(this.options.store, RESOURCES.pods)) {
      if (pod.spec.nodeName === nodeName)
        this.queue.add(objectKey(pod.metadata.namespace, pod.metadata.name));
    }
    return Promise.resolve();
  }

  isNodeDown(nodeName: string): boolean {
    return this.downNodes.has(nodeName);
  }

  /** Crashes a pod's containers (or one); false when the pod runs nothing here. */
  crashContainer(namespace: string, pod: string, container?: string): boolean {
    return this.workers.get(`${namespace}/${pod}`)?.crash(container) ?? false;
  }

  /** A container's log (pods/log); throws the API server's 404/400. */
  podLog(namespace: string, name: string, options: PodLogOptions): PodLogStream {
    const pod = this.options.store.get(RESOURCES.pods, namespace, name) as Pod | undefined;
    if (!pod) throw notFound('', 'pods', name);
    const names = pod.spec.containers.map((c) => c.name);
    const container = options.container ?? (names.length === 1 ? names[0] : undefined);
    if (!container)
      throw badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`,
      );
    const key = `${namespace}/${name}`;
    const worker =
      this.workers.get(key) ??
      [...this.stopping].find((w) => w.key === key && w.uid === pod.metadata.uid);
    if (!worker || worker.uid !== pod.metadata.uid) {
      if (!names.includes(container))
        throw badRequest(`container ${container} is not valid for pod ${name}`);
      const waiting = pod.status?.containerStatuses?.find((s) => s.name === container)?.state
        ?.waiting?.reason;
      throw badRequest(
        `container "${container}" in pod "${name}" is waiting to start: ${waiting ?? 'ContainerCreating'}`,
      );
    }
    const out = worker.readLog(container, options);
    if (typeof out === 'string') throw badRequest(out);
    return out;
  }

  /** The pod IP of a running pod worker. */
  podIP(namespace: string, pod: string): string | undefined {
    return this.workers.get(`${namespace}/${pod}`)?.podIP;
  }

  async close(): Promise<void> {
    for (const stop of this.stops) stop();
    this.queue.close();
    for (const w of this.stopping) w.kill();
    await Promise.all([...this.workers.keys()].map((key) => this.stopWorker(key, 'deleted')));
  }

  private async stopWorker(
    key: string,
    reason: 'deleted' | 'node-down',
    graceMs = 0,
  ): Promise<void> {
    const worker = this.workers.get(key);
    if (!worker) return;
    this.workers.delete(key);
    this.stopping.add(worker);
    try {
      await worker.stop(reason, graceMs);
    } finally {
      this.stopping.delete(worker);
    }
    this.options.ips.release(worker.podIP);
  }

  /**
   * A Terminating pod (deletionTimestamp set): stop its containers within the grace period, then
   * delete it for good (grace 0), which frees its node's resources. A pod on a down node stays
   * Terminating until the node is back, as on a real cluster.
   */
  private async finishTermination(key: string, pod: Pod): Promise<void> {
    const nodeName = pod.spec.nodeName;
    if (nodeName && this.downNodes.has(nodeName)) return;
    if (this.terminating.has(key)) return;
    this.terminating.add(key);
    try {
      const graceMs = this.options.time.ms(pod.metadata.deletionGracePeriodSeconds ?? 0);
      await this.stopWorker(key, 'deleted', graceMs);
      const { store } = this.options;
      const current = store.get(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name);
      if (
        current &&
        current.metadata.uid === pod.metadata.uid &&
        current.metadata.deletionTimestamp
      )
        store.delete(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name, {
          gracePeriodSeconds: 0,
        });
    } catch {
      // Deleted meanwhile.
    } finally {
      this.terminating.delete(key);
    }
  }

  private async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const { store } = this.options;
    const pod = store.get(RESOURCES.pods, namespace, name) as Pod | undefined;
    const worker = this.workers.get(key);
    if (!pod || (worker && worker.uid !== pod.metadata.uid)) {
      await this.stopWorker(key, 'deleted');
      if (!pod) return;
    }
    if (pod.metadata.deletionTimestamp) {
      void this.finishTermination(key, pod);
      return;
    }
    const nodeName = pod.spec.nodeName;
    if (!nodeName) return;
    if (this.downNodes.has(nodeName)) return;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    let current = this.workers.get(key);
    if (!current) {
      const node = store.get(RESOURCES.nodes, undefined, nodeName) as Node | undefined;
      if (!node) return;
      const hostIP =
        node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '127.0.0.1';
      const gpu = node.metadata.labels?.['sim.bascule.dev/node-type'];
      current = new PodWorker(
        {
          store,
          recorder: this.options.recorder,
          time: this.options.time,
          runtime: this.options.runtime,
          now: this.options.now,
          imageCache: this.imageCache,
          pullSeconds: this.options.pullSeconds ?? defaultPullSeconds,
        },
        pod,
        nodeName,
        this.options.ips.allocate(),
        hostIP,
        gpu === 'cpu' ? undefined : gpu,
      );
      this.workers.set(key, current);
      void current.run();
    }
    const crash = pod.metadata.annotations?.[CRASH_ANNOTATION];
    if (crash !== undefined) {
      current.crash(crash === 'now' || crash === '' || crash === 'true' ? undefined : crash);
      const fresh = store.get(RESOURCES.pods, namespace, name);
      if (fresh?.metadata.annotations) {
        delete fresh.metadata.annotations[CRASH_ANNOTATION];
        try {
          store.update(RESOURCES.pods, fresh);
        } catch {
          // gone meanwhile
        }
      }
    }
  }
}
