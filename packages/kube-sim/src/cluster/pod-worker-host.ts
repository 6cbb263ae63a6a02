// What the parts of a pod's kubelet work (image pull, container config, container start, probes,
// termination) share: the worker's context, one container's run, and the PodWorker seen as their
// host. The parts import only these types, never each other, so they form no import circle.
import type { ObjectStore } from '../store/types.js';
import type { ContainerView } from './build-pod-status.js';
import type { ConfigLookup } from './container-config.js';
import type { ContainerLog } from './container-log.js';
import type { ContainerRuntime, RunningContainer } from './container-runtime.js';
import type { EventRecorder } from './event-recorder.js';
import type { Container, Pod } from './kube-types.js';
import type { TimeScale } from './time-scale.js';

export interface PodWorkerContext {
  store: ObjectStore;
  recorder: EventRecorder;
  time: TimeScale;
  runtime: ContainerRuntime;
  now(): Date;
  /** Images already on each node ("node|image"). */
  imageCache: Set<string>;
  /** Simulated pull time of an image, in seconds. */
  pullSeconds(image: string): number;
}

export interface ContainerRun extends ContainerView {
  spec: Container;
  process?: RunningContainer;
  /** Incremented on every start/stop: async work of an older run checks it and gives up. */
  epoch: number;
  timers: Set<NodeJS.Timeout>;
  startedAtIso?: string;
  /** What the current run printed, and the previous run (`kubectl logs --previous`). */
  log?: ContainerLog;
  previousLog?: ContainerLog;
}

/** How a container's run ended. */
export interface ContainerExit {
  exitCode: number;
  reason?: string;
  message?: string;
}

/** The PodWorker as the parts of its work see it. */
export interface PodWorkerHost {
  readonly ctx: PodWorkerContext;
  /** The pod as last read from the store. */
  readonly pod: Pod;
  readonly nodeName: string;
  readonly podIP: string;
  readonly gpu: string | undefined;
  /** False once the pod is stopping: every part gives up then. */
  readonly active: boolean;
  /** Waits, unless the pod stops or the container's run ends first; false then. */
  sleep(c: ContainerRun, ms: number): Promise<boolean>;
  clearTimers(c: ContainerRun): void;
  /** Records a kubelet Event about one container. */
  event(type: 'Normal' | 'Warning', reason: string, message: string, c: ContainerRun): void;
  /** Writes the pod's status if it changed. */
  writeStatus(): void;
  /** Secrets and ConfigMaps of the pod's namespace. */
  lookup(): ConfigLookup;
  /** Ends a container's run and restarts it as the restartPolicy says. */
  terminate(c: ContainerRun, exit: ContainerExit, ran?: boolean): Promise<void>;
  /** Pulls a container's image, waits for its config, and starts it. */
  pullAndStart(c: ContainerRun): Promise<void>;
}
