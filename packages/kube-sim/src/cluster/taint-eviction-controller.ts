// Taints a user (or cordon) sets on a node, as the node lifecycle and taint-eviction
// controllers handle them:
// - cordon (spec.unschedulable) adds the node.kubernetes.io/unschedulable:NoSchedule taint and
//   uncordon removes it;
// - a NoExecute taint evicts (deletes, gracefully) every pod on the node that does not tolerate
//   it, at once or after the toleration's tolerationSeconds. The unreachable taints of a node
//   taken down are the node controller's (node-controller.ts).
import type { ObjectStore } from '../store/types.js';
import type { EventRecorder } from './event-recorder.js';
import { tolerates } from './fit-pod.js';
import { kubeTime } from './kube-time.js';
import { RESOURCES, type Node, type Pod, type Taint } from './kube-types.js';
import { listShared, watchShared } from './shared-reads.js';
import type { TimeScale } from './time-scale.js';
import { createWorkQueue, type WorkQueue } from './work-queue.js';

export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';
const NODE_CONTROLLER_TAINTS = new Set([
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/not-ready',
]);

/** The NoExecute taint a pod does not tolerate forever, with the delay before eviction (pure). */
export function noExecuteEviction(
  pod: Pod,
  taints: Taint[],
): { taint: Taint; afterSeconds: number } | undefined {
  let soonest: { taint: Taint; afterSeconds: number } | undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute' || NODE_CONTROLLER_TAINTS.has(taint.key)) continue;
    const toleration = (pod.spec.tolerations ?? []).find((t) => tolerates(t, taint));
    if (toleration && toleration.tolerationSeconds === undefined) continue;
    const afterSeconds = toleration ? Math.max(0, toleration.tolerationSeconds ?? 0) : 0;
    if (!soonest || afterSeconds < soonest.afterSeconds) soonest = { taint, afterSeconds };
  }
  return soonest;
}

export class TaintEvictionController {
  private readonly queue: WorkQueue;
  private readonly stops: (() => void)[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: ObjectStore,
    private readonly recorder: EventRecorder,
    private readonly time: TimeScale,
    private readonly now: () => Date,
  ) {
    this.queue = createWorkQueue({ name: 'taint-eviction', reconcile: (n) => this.reconcile(n) });
  }

  start(): void {
    this.stops.push(
      watchShared(this.store, RESOURCES.nodes, (e) => this.queue.add(e.object.metadata.name ?? '')),
      watchShared(this.store, RESOURCES.pods, (e) => {
        const node = (e.object as Pod).spec?.nodeName;
        if (node && e.type !== 'DELETED') this.queue.add(node);
      }),
    );
    for (const n of this.store.list(RESOURCES.nodes).items) this.queue.add(n.metadata.name ?? '');
  }

  close(): void {
    for (const stop of this.stops) stop();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.queue.close();
  }

  private reconcile(name: string): void {
    const node = this.store.get(RESOURCES.nodes, undefined, name) as Node | undefined;
    if (!node) return;
    this.syncCordonTaint(node);
    const taints = node.spec?.taints ?? [];
    if (!taints.some((t) => t.effect === 'NoExecute')) return;
    for (const pod of listShared<Pod>(this.store, RESOURCES.pods)) {
      if (pod.spec.nodeName !== name || pod.metadata.deletionTimestamp) continue;
      const eviction = noExecuteEviction(pod, taints);
      const key = `${pod.metadata.namespace}/${pod.metadata.name}/${pod.metadata.uid ?? ''}`;
      if (!eviction || this.timers.has(key)) continue;
      const evict = () => {
        this.timers.delete(key);
        const current = this.store.get(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name);
        if (!current || current.metadata.uid !== pod.metadata.uid) return;
        const fresh = this.store.get(RESOURCES.nodes, undefined, name) as Node | undefined;
        if (!fresh || !noExecuteEviction(current as Pod, fresh.spec?.taints ?? [])) return;
        this.recorder.record(
          current,
          'Normal',
          'TaintManagerEviction',
          `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`,
          { component: 'taint-eviction-controller' },
        );
        try {
          this.store.delete(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name);
        } catch {
          // gone already
        }
      };
      const ms = this.time.ms(eviction.afterSeconds);
      if (ms <= 0) evict();
      else {
        const t = setTimeout(evict, ms);
        this.timers.set(key, t);
      }
    }
  }

  private syncCordonTaint(node: Node): void {
    const taints = node.spec?.taints ?? [];
    const has = taints.some((t) => t.key === UNSCHEDULABLE_TAINT);
    const cordoned = node.spec?.unschedulable === true;
    if (has === cordoned) return;
    const fresh = this.store.get(RESOURCES.nodes, undefined, node.metadata.name) as Node;
    const next = (fresh.spec?.taints ?? []).filter((t) => t.key !== UNSCHEDULABLE_TAINT);
    if (cordoned)
      next.push({
        key: UNSCHEDULABLE_TAINT,
        effect: 'NoSchedule',
        timeAdded: kubeTime(this.now()),
      });
    fresh.spec = { ...(fresh.spec ?? {}), taints: next };
    if (next.length === 0) delete fresh.spec.taints;
    try {
      this.store.update(RESOURCES.nodes, fresh);
    } catch {
      // Changed meanwhile: the watch brings it back here.
    }
  }
}
