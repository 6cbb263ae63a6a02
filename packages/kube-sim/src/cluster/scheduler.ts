// The default scheduler: binds pending pods (schedulerName unset or default-scheduler) to nodes
// with schedulePod, oldest first (higher priority first). A pod that fits nowhere gets
// PodScheduled=False/Unschedulable and a FailedScheduling event with the real message; every
// node change or pod deletion/completion runs the pass again.
import { kubeTime } from './kube-time.js';
import { listShared, watchShared } from './shared-reads.js';
import type { ObjectStore, WatchEvent } from '../store/types.js';
import type { EventRecorder } from './event-recorder.js';
import { findCondition, RESOURCES, type Condition, type Node, type Pod } from './kube-types.js';
import { podRequests } from './pod-requests.js';
import { claimSchedulingError, PVCS } from './volume-binding.js';
import { emptyUsage, nodeUsage, schedulePod } from './schedule-pod.js';
import { createWorkQueue, type WorkQueue } from './work-queue.js';

const SOURCE = { component: 'default-scheduler' };

function isPending(pod: Pod): boolean {
  const scheduler = pod.spec.schedulerName ?? 'default-scheduler';
  return (
    !pod.spec.nodeName &&
    !pod.metadata.deletionTimestamp &&
    scheduler === 'default-scheduler' &&
    pod.status?.phase !== 'Failed'
  );
}

export class Scheduler {
  private readonly queue: WorkQueue;
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly store: ObjectStore,
    private readonly recorder: EventRecorder,
    private readonly now: () => Date,
  ) {
    this.queue = createWorkQueue({ name: 'scheduler', reconcile: () => this.pass() });
  }

  start(): void {
    this.stops.push(
      watchShared(this.store, RESOURCES.nodes, () => this.queue.add('pass')),
      watchShared(this.store, RESOURCES.pods, (e) => this.onPod(e)),
      watchShared(this.store, PVCS, () => this.queue.add('pass')),
    );
    this.queue.add('pass');
  }

  close(): void {
    for (const stop of this.stops) stop();
    this.queue.close();
  }

  private onPod(event: WatchEvent): void {
    const pod = event.object as Pod;
    if (event.type === 'DELETED' ? Boolean(pod.spec.nodeName) : isPending(pod))
      this.queue.add('pass');
    else if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed')
      this.queue.add('pass');
  }

  /** One scheduling pass over every pending pod. */
  pass(): void {
    const pods = listShared<Pod>(this.store, RESOURCES.pods);
    const pending = pods.filter(isPending);
    if (pending.length === 0) return;
    const nodes = listShared<Node>(this.store, RESOURCES.nodes);
    const usage = nodeUsage(pods);
    const priority = (p: Pod) => Number((p.spec as { priority?: number }).priority ?? 0);
    pending.sort(
      (a, b) =>
        priority(b) - priority(a) ||
        (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
    for (const pod of pending) {
      const claimError = claimSchedulingError(pod, (name) =>
        this.store.get(PVCS, pod.metadata.namespace, name),
      );
      if (claimError) {
        const n = nodes.length;
        this.markUnschedulable(
          pod,
          `0/${n} nodes are available: ${claimError}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`,
        );
        continue;
      }
      const result = schedulePod(pod, nodes, usage);
      if (result.nodeName !== undefined) {
        if (this.bind(pod, result.nodeName)) {
          const u = usage.get(result.nodeName) ?? emptyUsage();
          const r = podRequests(pod);
          u.pods += 1;
          u.requests.cpuMillis += r.cpuMillis;
          u.requests.memoryBytes += r.memoryBytes;
          for (const [k, v] of Object.entries(r.scalar))
            u.requests.scalar[k] = (u.requests.scalar[k] ?? 0) + v;
          usage.set(result.nodeName, u);
        }
      } else {
        this.markUnschedulable(pod, result.message);
      }
    }
  }

  private bind(pod: Pod, nodeName: string): boolean {
    const { namespace, name } = pod.metadata;
    try {
      const fresh = this.store.get(RESOURCES.pods, namespace, name) as Pod | undefined;
      if (!fresh || fresh.spec.nodeName || fresh.metadata.uid !== pod.metadata.uid) return false;
      fresh.spec.nodeName = nodeName;
      const bound = this.store.update(RESOURCES.pods, fresh) as Pod;
      this.setScheduledCondition(bound, { type: 'PodScheduled', status: 'True' });
      this.recorder.record(
        bound,
        'Normal',
        'Scheduled',
        `Successfully assigned ${namespace}/${name} to ${nodeName}`,
        SOURCE,
      );
      return true;
    } catch {
      return false;
    }
  }

  private markUnschedulable(pod: Pod, message: string): void {
    const previous = findCondition(pod.status?.conditions, 'PodScheduled');
    if (previous?.status === 'False' && previous.message === message) return;
    this.setScheduledCondition(pod, {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message,
    });
    this.recorder.record(pod, 'Warning', 'FailedScheduling', message, SOURCE);
  }

  private setScheduledCondition(pod: Pod, next: Condition): void {
    try {
      const fresh = this.store.get(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name) as
        Pod | undefined;
      if (!fresh) return;
      const time = kubeTime(this.now());
      const status = fresh.status ?? {};
      const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      const prev = findCondition(status.conditions, 'PodScheduled');
      conditions.push({
        ...next,
        lastProbeTime: null,
        lastTransitionTime: prev?.status === next.status ? (prev.lastTransitionTime ?? time) : time,
      });
      fresh.status = { ...status, phase: status.phase ?? 'Pending', conditions };
      this.store.update(RESOURCES.pods, fresh, { subresource: 'status' });
    } catch {
      // Deleted meanwhile.
    }
  }
}
