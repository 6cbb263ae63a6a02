// Node faults: the annotation `sim.bascule.dev/state=down` (kubectl annotate, or setNodeState
// from code) takes a node down as if its machine died: Ready turns Unknown, the node gets the
// node.kubernetes.io/unreachable taints (NoSchedule, NoExecute), its pods' processes stop, and
// pods that do not tolerate the NoExecute taint are evicted (deleted, so their controllers
// replace them elsewhere) after their tolerationSeconds, if any. `=up` reverses it.
import { kubeTime } from './kube-time.js';
import { listShared, watchShared } from './shared-reads.js';
import type { ObjectStore } from '../store/types.js';
import { readyCondition } from './build-nodes.js';
import type { EventRecorder } from './event-recorder.js';
import { tolerates } from './fit-pod.js';
import type { Kubelet } from './kubelet.js';
import { RESOURCES, type Node, type Pod, type Taint } from './kube-types.js';
import type { TimeScale } from './time-scale.js';
import { createWorkQueue, type WorkQueue } from './work-queue.js';

export const NODE_STATE_ANNOTATION = 'sim.bascule.dev/state';
const UNREACHABLE = 'node.kubernetes.io/unreachable';

export class NodeController {
  private readonly queue: WorkQueue;
  private readonly stops: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: ObjectStore,
    private readonly kubelet: Kubelet,
    private readonly recorder: EventRecorder,
    private readonly time: TimeScale,
    private readonly now: () => Date,
  ) {
    this.queue = createWorkQueue({ name: 'node', reconcile: (key) => this.reconcile(key) });
  }

  start(): void {
    this.stops.push(
      watchShared(this.store, RESOURCES.nodes, (e) => this.queue.add(e.object.metadata.name ?? '')),
    );
    for (const n of this.store.list(RESOURCES.nodes).items) this.queue.add(n.metadata.name ?? '');
  }

  close(): void {
    for (const stop of this.stops) stop();
    for (const t of this.timers) clearTimeout(t);
    this.queue.close();
  }

  /** Takes a node down or brings it back, through the same annotation kubectl sets. */
  setNodeState(name: string, state: 'up' | 'down'): void {
    const node = this.store.get(RESOURCES.nodes, undefined, name);
    if (!node) throw new Error(`node "${name}" not found`);
    node.metadata.annotations = {
      ...(node.metadata.annotations ?? {}),
      [NODE_STATE_ANNOTATION]: state,
    };
    this.store.update(RESOURCES.nodes, node);
  }

  private async reconcile(name: string): Promise<void> {
    const node = this.store.get(RESOURCES.nodes, undefined, name) as Node | undefined;
    if (!node) {
      // A deleted node takes its pods with it (the pod garbage collector deletes pods bound to
      // nodes that no longer exist); their controllers replace them elsewhere.
      await this.kubelet.setNodeDown(name, true);
      for (const pod of listShared<Pod>(this.store, RESOURCES.pods).filter(
        (p) => p.spec.nodeName === name,
      )) {
        try {
          this.store.delete(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name, {
            gracePeriodSeconds: 0,
          });
        } catch {
          // gone already
        }
      }
      return;
    }
    const wantDown = node.metadata.annotations?.[NODE_STATE_ANNOTATION] === 'down';
    const isDown = this.kubelet.isNodeDown(name);
    if (wantDown === isDown) return;
    const time = kubeTime(this.now());
    const taints = (node.spec?.taints ?? []).filter((t) => t.key !== UNREACHABLE);
    if (wantDown) {
      taints.push(
        { key: UNREACHABLE, effect: 'NoSchedule', timeAdded: time },
        { key: UNREACHABLE, effect: 'NoExecute', timeAdded: time },
      );
    }
    node.spec = { ...(node.spec ?? {}), taints };
    if (taints.length === 0) delete node.spec.taints;
    const updated = this.store.update(RESOURCES.nodes, node) as Node;
    updated.status = {
      ...(updated.status ?? {}),
      conditions: (updated.status?.conditions ?? []).map((c) =>
        c.type === 'Ready' ? readyCondition(!wantDown, time) : c,
      ),
    };
    this.store.update(RESOURCES.nodes, updated, { subresource: 'status' });
    this.recorder.record(
      updated,
      'Normal',
      wantDown ? 'NodeNotReady' : 'NodeReady',
      wantDown
        ? `Node ${name} status is now: NodeNotReady`
        : `Node ${name} status is now: NodeReady`,
      { component: wantDown ? 'node-controller' : 'kubelet', host: name },
    );
    await this.kubelet.setNodeDown(name, wantDown);
    if (wantDown) this.evictPods(name, taints.find((t) => t.effect === 'NoExecute') ?? taints[0]!);
  }

  private evictPods(nodeName: string, taint: Taint): void {
    const pods = listShared<Pod>(this.store, RESOURCES.pods).filter(
      (p) => p.spec.nodeName === nodeName,
    );
    for (const pod of pods) {
      this.markNotReady(pod);
      const toleration = (pod.spec.tolerations ?? []).find((t) => tolerates(t, taint));
      if (toleration && toleration.tolerationSeconds === undefined) continue;
      const delay = toleration ? this.time.ms(Math.max(0, toleration.tolerationSeconds ?? 0)) : 0;
      const evict = () => {
        const current = this.store.get(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name);
        if (
          !current ||
          current.metadata.uid !== pod.metadata.uid ||
          !this.kubelet.isNodeDown(nodeName)
        )
          return;
        this.recorder.record(
          current,
          'Normal',
          'TaintManagerEviction',
          `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`,
          {
            component: 'taint-eviction-controller',
          },
        );
        try {
          this.store.delete(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name);
        } catch {
          // already gone
        }
      };
      if (delay <= 0) evict();
      else {
        const t = setTimeout(() => {
          this.timers.delete(t);
          evict();
        }, delay);
        this.timers.add(t);
      }
    }
  }

  private markNotReady(pod: Pod): void {
    const fresh = this.store.get(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name) as
      Pod | undefined;
    if (!fresh?.status) return;
    const time = kubeTime(this.now());
    fresh.status.conditions = (fresh.status.conditions ?? []).map((c) =>
      c.type === 'Ready' && c.status === 'True'
        ? { ...c, status: 'False', lastTransitionTime: time }
        : c,
    );
    try {
      this.store.update(RESOURCES.pods, fresh, { subresource: 'status' });
    } catch {
      // gone
    }
  }
}
