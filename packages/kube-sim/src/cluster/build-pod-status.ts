// A pod's status from the kubelet's view of its containers (pure). Conditions keep their
// lastTransitionTime while their status does not change.
import { kubeTime } from './kube-time.js';
import { createHash } from 'node:crypto';
import type { Condition, ContainerState, ContainerStatus, Pod, PodStatus } from './kube-types.js';

export interface ContainerView {
  name: string;
  image: string;
  pulled: boolean;
  state: ContainerState;
  lastState: ContainerState;
  restartCount: number;
  ready: boolean;
  started: boolean;
  containerID?: string;
  /** Ran at least once. */
  everStarted: boolean;
}

export interface PodView {
  podIP: string;
  hostIP: string;
  startTime: string;
  sandboxReady: boolean;
  containers: ContainerView[];
  restartPolicy: string;
}

export function imageID(image: string): string {
  const ref = image.includes('/') ? image : `library/${image}`;
  const repo = ref.split(/[:@]/)[0] ?? ref;
  const host = repo.split('/')[0]?.includes('.') ? '' : 'docker.io/';
  return `${host}${repo}@sha256:${createHash('sha256').update(image).digest('hex')}`;
}

export function qosClass(pod: Pod): string {
  const all = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  const any = all.some(
    (c) =>
      Object.keys(c.resources?.requests ?? {}).length +
        Object.keys(c.resources?.limits ?? {}).length >
      0,
  );
  if (!any) return 'BestEffort';
  const guaranteed = all.every((c) => {
    const limits = c.resources?.limits ?? {};
    const requests = { ...limits, ...(c.resources?.requests ?? {}) };
    return ['cpu', 'memory'].every(
      (r) => limits[r] !== undefined && String(limits[r]) === String(requests[r]),
    );
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function condition(
  previous: Condition[] | undefined,
  type: string,
  ok: boolean,
  time: string,
  reason?: string,
  message?: string,
): Condition {
  const status = ok ? 'True' : 'False';
  const prev = previous?.find((c) => c.type === type);
  const c: Condition = {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime:
      prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : time,
  };
  if (!ok && reason) c.reason = reason;
  if (!ok && message) c.message = message;
  return c;
}

export function buildPodStatus(pod: Pod, view: PodView, now: Date): PodStatus {
  const time = kubeTime(now);
  const previous = pod.status?.conditions;
  const unready = view.containers.filter((c) => !c.ready).map((c) => c.name);
  const allReady = unready.length === 0 && view.containers.length > 0;
  const notReadyMessage = `containers with unready status: [${unready.join(' ')}]`;
  const scheduled = previous?.find((c) => c.type === 'PodScheduled') ?? {
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: time,
  };
  const conditions: Condition[] = [
    condition(previous, 'PodReadyToStartContainers', view.sandboxReady, time),
    condition(previous, 'Initialized', true, time),
    condition(previous, 'Ready', allReady, time, 'ContainersNotReady', notReadyMessage),
    condition(previous, 'ContainersReady', allReady, time, 'ContainersNotReady', notReadyMessage),
    scheduled,
  ];
  const containerStatuses: ContainerStatus[] = view.containers.map((c) => {
    const s: ContainerStatus = {
      name: c.name,
      image: c.image,
      imageID: c.pulled ? imageID(c.image) : '',
      ready: c.ready,
      started: c.started,
      restartCount: c.restartCount,
      state: c.state,
      lastState: c.lastState,
    };
    if (c.containerID) s.containerID = c.containerID;
    return s;
  });
  let phase: PodStatus['phase'] = view.containers.every((c) => c.everStarted)
    ? 'Running'
    : 'Pending';
  const terminated = view.containers.every((c) => c.state.terminated);
  if (terminated && view.restartPolicy !== 'Always') {
    const failed = view.containers.some((c) => (c.state.terminated?.exitCode ?? 0) !== 0);
    if (view.restartPolicy === 'Never' || !failed) phase = failed ? 'Failed' : 'Succeeded';
  }
  return {
    phase,
    conditions,
    hostIP: view.hostIP,
    hostIPs: [{ ip: view.hostIP }],
    podIP: view.podIP,
    podIPs: [{ ip: view.podIP }],
    startTime: view.startTime,
    containerStatuses,
    qosClass: qosClass(pod),
  };
}
