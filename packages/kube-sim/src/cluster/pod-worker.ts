// The kubelet's work for one pod on one node: simulated image pulls (pod-image-pull.ts), the wait
// for volumes and container config (await-container-config.ts), container start (engine-sim or a
// stub server at the pod IP; pod-container-start.ts), startup/liveness/readiness probes
// (pod-probes.ts), restarts with back-off, crashes and graceful stop (pod-termination.ts). Every
// change is written to the pod's status. This class holds the pod's state; the parts see it as
// their PodWorkerHost (pod-worker-host.ts).
import { kubeTime } from './kube-time.js';
import { awaitContainerConfig, awaitVolumes } from './await-container-config.js';
import { buildPodStatus } from './build-pod-status.js';
import type { ConfigLookup } from './container-config.js';
import type { PodLogOptions, PodLogStream } from './container-log.js';
import { RESOURCES, type Pod } from './kube-types.js';
import { startContainer } from './pod-container-start.js';
import { pullImage } from './pod-image-pull.js';
import { runPreStop, terminateContainer } from './pod-termination.js';
import type {
  ContainerExit,
  ContainerRun,
  PodWorkerContext,
  PodWorkerHost,
} from './pod-worker-host.js';

export type { PodWorkerContext } from './pod-worker-host.js';

export class PodWorker implements PodWorkerHost {
  private readonly containers: ContainerRun[];
  private running = true;
  private readonly startTime: string;
  private sandboxReady = false;
  private killNow: (() => void) | undefined;
  private current: Pod;

  constructor(
    readonly ctx: PodWorkerContext,
    pod: Pod,
    readonly nodeName: string,
    readonly podIP: string,
    private readonly hostIP: string,
    readonly gpu: string | undefined,
  ) {
    this.current = pod;
    this.startTime = kubeTime(ctx.now());
    this.containers = pod.spec.containers.map((spec) => ({
      spec,
      name: spec.name,
      image: spec.image ?? '',
      pulled: false,
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
      restartCount: 0,
      ready: false,
      started: false,
      everStarted: false,
      epoch: 0,
      timers: new Set(),
    }));
  }

  get pod(): Pod {
    return this.current;
  }

  get active(): boolean {
    return this.running;
  }

  get key(): string {
    return `${this.pod.metadata.namespace}/${this.pod.metadata.name}`;
  }

  get uid(): string | undefined {
    return this.pod.metadata.uid;
  }

  /** Starts the pod: sandbox (IP), then each container in order. */
  async run(): Promise<void> {
    this.sandboxReady = true;
    this.writeStatus();
    // Volumes first: a missing Secret/ConfigMap volume keeps the pod ContainerCreating.
    const podEvent = (type: 'Normal' | 'Warning', reason: string, message: string) =>
      this.ctx.recorder.record(this.pod, type, reason, message, {
        component: 'kubelet',
        host: this.nodeName,
      });
    if (!(await awaitVolumes(this, this.containers[0], podEvent))) return;
    for (const c of this.containers) {
      if (!this.running) return;
      await this.pullAndStart(c);
    }
  }

  /** Crashes containers (all, or the one named): they exit with code 1 and restart per policy. */
  crash(containerName?: string): boolean {
    const targets = this.containers.filter(
      (c) => (!containerName || c.name === containerName) && c.process,
    );
    for (const c of targets)
      void this.terminate(c, {
        exitCode: 1,
        reason: 'Error',
        message: 'crashed by sim.bascule.dev',
      });
    return targets.length > 0;
  }

  /**
   * Stops every container (pod deleted, or its node went down). On delete, each running
   * container first runs its preStop hook (see pre-stop.ts), cut short when the grace period
   * (real milliseconds) runs out, as the kubelet does before it kills the container.
   */
  async stop(reason: 'deleted' | 'node-down', graceMs = 0): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await Promise.all(
      this.containers.map(async (c) => {
        this.clearTimers(c);
        c.epoch++;
        const proc = c.process;
        if (proc && reason === 'deleted') {
          this.event('Normal', 'Killing', `Stopping container ${c.name}`, c);
          if (graceMs > 0) await runPreStop(this, c, graceMs, (kill) => (this.killNow = kill));
        }
        c.process = undefined;
        if (proc) await proc.close().catch(() => undefined);
        c.log?.end();
      }),
    );
  }

  /** A container's log, or why there is none (the API server's 400 messages). */
  readLog(containerName: string, options: PodLogOptions): PodLogStream | string {
    const c = this.containers.find((x) => x.name === containerName);
    if (!c) return `container ${containerName} is not valid for pod ${this.pod.metadata.name}`;
    const log = options.previous ? c.previousLog : c.log;
    if (!log) {
      if (options.previous)
        return `previous terminated container "${c.name}" in pod "${this.pod.metadata.name}" not found`;
      const reason = c.state.waiting?.reason ?? 'ContainerCreating';
      const why =
        reason === 'ImagePullBackOff' || reason === 'ErrImagePull'
          ? 'trying and failing to pull image'
          : reason;
      return `container "${c.name}" in pod "${this.pod.metadata.name}" is waiting to start: ${why}`;
    }
    return log.read(options);
  }

  /** Ends a graceful stop at once (the kubelet is closing). */
  kill(): void {
    this.killNow?.();
  }

  /** Secrets and ConfigMaps of the pod's namespace, for the kubelet's checks. */
  lookup(): ConfigLookup {
    const ns = this.pod.metadata.namespace;
    const data = (resource: string, name: string) => {
      const obj = this.ctx.store.get({ group: '', version: 'v1', resource }, ns, name);
      return obj ? { ...((obj['data'] as Record<string, string> | undefined) ?? {}) } : undefined;
    };
    return {
      secret: (name) => data('secrets', name),
      configMap: (name) => data('configmaps', name),
    };
  }

  async pullAndStart(c: ContainerRun): Promise<void> {
    if (!(await pullImage(this, c))) return;
    if (!(await awaitContainerConfig(this, c))) return;
    await startContainer(this, c);
  }

  terminate(c: ContainerRun, exit: ContainerExit, ran = true): Promise<void> {
    return terminateContainer(this, c, exit, ran);
  }

  /** Waits, unless the pod stops or the container's run ends first; false then. */
  sleep(c: ContainerRun, ms: number): Promise<boolean> {
    if (!this.running) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    const epoch = c.epoch;
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        c.timers.delete(t);
        resolve(this.running && epoch === c.epoch);
      }, ms);
      c.timers.add(t);
      // clearTimers resolves nothing: callers of a cancelled sleep simply never continue.
    });
  }

  clearTimers(c: ContainerRun): void {
    for (const t of c.timers) clearTimeout(t);
    c.timers.clear();
  }

  event(type: 'Normal' | 'Warning', reason: string, message: string, c: ContainerRun): void {
    this.ctx.recorder.record(
      this.pod,
      type,
      reason,
      message,
      { component: 'kubelet', host: this.nodeName },
      `spec.containers{${c.name}}`,
    );
  }

  /** Writes the pod's status if it changed; stops the worker if the pod is gone. */
  writeStatus(): void {
    if (!this.running) return;
    const current = this.ctx.store.get(
      RESOURCES.pods,
      this.pod.metadata.namespace,
      this.pod.metadata.name,
    ) as Pod | undefined;
    if (!current || current.metadata.uid !== this.pod.metadata.uid) return;
    this.current = current;
    current.status = buildPodStatus(
      current,
      {
        podIP: this.podIP,
        hostIP: this.hostIP,
        startTime: this.startTime,
        sandboxReady: this.sandboxReady,
        containers: this.containers,
        restartPolicy: current.spec.restartPolicy ?? 'Always',
      },
      this.ctx.now(),
    );
    try {
      this.ctx.store.update(RESOURCES.pods, current, { subresource: 'status' });
    } catch {
      // The pod went away between get and update; the kubelet stops this worker on DELETED.
    }
  }
}
