// The kubelet's work for one pod on one node: simulated image pulls, container start (engine-sim
// or a stub server at the pod IP), startup/liveness/readiness probes over HTTP with their
// periods and thresholds (scaled), restarts with back-off, crashes, and graceful stop. Every
// change is written to the pod's status.
import { kubeTime } from './kube-time.js';
import { randomBytes } from 'node:crypto';
import type { ObjectStore } from '../store/types.js';
import { buildPodStatus, type ContainerView } from './build-pod-status.js';
import type { ContainerRuntime, RunningContainer } from './container-runtime.js';
import { engineForImage } from './container-runtime.js';
import type { EventRecorder } from './event-recorder.js';
import {
  RESOURCES,
  type Container,
  type ContainerState,
  type Pod,
  type Probe,
} from './kube-types.js';
import { ContainerLog, type PodLogOptions, type PodLogStream } from './container-log.js';
import {
  containerConfigError,
  imagePullError,
  volumeMountError,
  type ConfigLookup,
} from './container-config.js';
import { preStopSleepSeconds } from './pre-stop.js';
import { runProbe } from './run-probe.js';
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

interface ContainerRun extends ContainerView {
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

const PROBE_DEFAULTS = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 3,
};
/** Simulated seconds between the kubelet's retries of a missing volume or container config. */
const RETRY_SECONDS = 10;
/** Real probe timeouts never go below this, so a busy test machine does not fail probes. */
const MIN_PROBE_TIMEOUT_MS = 1000;

export class PodWorker {
  private readonly containers: ContainerRun[];
  private active = true;
  private readonly startTime: string;
  private sandboxReady = false;
  private killNow: (() => void) | undefined;

  constructor(
    private readonly ctx: PodWorkerContext,
    private pod: Pod,
    readonly nodeName: string,
    readonly podIP: string,
    private readonly hostIP: string,
    private readonly gpu: string | undefined,
  ) {
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
    const first = this.containers[0];
    for (let mountError = volumeMountError(this.pod, this.lookup()); mountError;) {
      this.podEvent('Warning', 'FailedMount', mountError);
      if (!first || !(await this.sleep(first, this.ctx.time.ms(RETRY_SECONDS)))) return;
      mountError = volumeMountError(this.pod, this.lookup());
    }
    for (const c of this.containers) {
      if (!this.active) return;
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
    if (!this.active) return;
    this.active = false;
    await Promise.all(
      this.containers.map(async (c) => {
        this.clearTimers(c);
        c.epoch++;
        const proc = c.process;
        if (proc && reason === 'deleted') {
          this.event('Normal', 'Killing', `Stopping container ${c.name}`, c);
          if (graceMs > 0) await this.runPreStop(c, graceMs);
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

  /** Runs a container's preStop hook, for at most graceMs. */
  private async runPreStop(c: ContainerRun, graceMs: number): Promise<void> {
    const hook = c.spec.lifecycle?.preStop;
    if (!hook) return;
    const timers: NodeJS.Timeout[] = [];
    const wait = (ms: number) =>
      new Promise<void>((resolve) => {
        timers.push(setTimeout(resolve, ms));
      });
    const run = async () => {
      const seconds = preStopSleepSeconds(hook);
      if (seconds > 0) await wait(this.ctx.time.ms(seconds));
      if (hook.httpGet)
        await runProbe({ httpGet: hook.httpGet }, c.spec, this.podIP, Math.min(graceMs, 5000));
    };
    const killed = new Promise<void>((resolve) => (this.killNow = resolve));
    try {
      await Promise.race([run(), wait(graceMs), killed]);
    } finally {
      for (const t of timers) clearTimeout(t);
    }
  }

  /** Ends a graceful stop at once (the kubelet is closing). */
  kill(): void {
    this.killNow?.();
  }

  /** Secrets and ConfigMaps of the pod's namespace, for the kubelet's checks. */
  private lookup(): ConfigLookup {
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

  private podEvent(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder.record(this.pod, type, reason, message, {
      component: 'kubelet',
      host: this.nodeName,
    });
  }

  /** Pulls an image kube-sim declares unpullable: ErrImagePull, then ImagePullBackOff, retried. */
  private async failPull(c: ContainerRun, image: string, error: string): Promise<boolean> {
    let backoff = 10;
    for (;;) {
      const epoch = c.epoch;
      this.event('Normal', 'Pulling', `Pulling image "${image}"`, c);
      this.event('Warning', 'Failed', `Failed to pull image "${image}": ${error}`, c);
      this.event('Warning', 'Failed', 'Error: ErrImagePull', c);
      c.state = { waiting: { reason: 'ErrImagePull', message: error } };
      this.writeStatus();
      if (!(await this.sleep(c, this.ctx.time.ms(1))) || epoch !== c.epoch) return false;
      this.event('Normal', 'BackOff', `Back-off pulling image "${image}"`, c);
      this.event('Warning', 'Failed', 'Error: ImagePullBackOff', c);
      c.state = {
        waiting: {
          reason: 'ImagePullBackOff',
          message: `Back-off pulling image "${image}": ErrImagePull: ${error}`,
        },
      };
      this.writeStatus();
      if (!(await this.sleep(c, this.ctx.time.ms(backoff))) || epoch !== c.epoch) return false;
      backoff = Math.min(300, backoff * 2);
      if (!imagePullError(image)) return true;
    }
  }

  private async pullAndStart(c: ContainerRun): Promise<void> {
    const epoch = c.epoch;
    const image = c.image;
    const cacheKey = `${this.nodeName}|${image}`;
    const pullError = imagePullError(image);
    if (pullError && !(await this.failPull(c, image, pullError))) return;
    if (this.ctx.imageCache.has(cacheKey) && c.spec.imagePullPolicy !== 'Always') {
      this.event('Normal', 'Pulled', `Container image "${image}" already present on machine`, c);
    } else {
      this.event('Normal', 'Pulling', `Pulling image "${image}"`, c);
      const seconds = this.ctx.pullSeconds(image);
      if (!(await this.sleep(c, this.ctx.time.ms(seconds))) || epoch !== c.epoch) return;
      this.ctx.imageCache.add(cacheKey);
      const took = `${seconds.toFixed(3)}s`;
      const size = 100_000_000 + ((image.length * 7_919_000) % 900_000_000);
      this.event(
        'Normal',
        'Pulled',
        `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`,
        c,
      );
    }
    c.pulled = true;
    // The container's environment: a missing Secret/ConfigMap (or key) is retried until it exists.
    for (
      let configError = containerConfigError(
        c.spec,
        this.pod.metadata.namespace ?? 'default',
        this.lookup(),
      );
      configError;
      configError = containerConfigError(
        c.spec,
        this.pod.metadata.namespace ?? 'default',
        this.lookup(),
      )
    ) {
      const e = c.epoch;
      this.event('Warning', 'Failed', `Error: ${configError}`, c);
      c.state = { waiting: { reason: 'CreateContainerConfigError', message: configError } };
      this.writeStatus();
      if (!(await this.sleep(c, this.ctx.time.ms(RETRY_SECONDS))) || e !== c.epoch) return;
    }
    await this.startContainer(c);
  }

  private async startContainer(c: ContainerRun): Promise<void> {
    const epoch = c.epoch;
    c.containerID = `containerd://${randomBytes(32).toString('hex')}`;
    this.event('Normal', 'Created', `Created container: ${c.name}`, c);
    if (c.log) {
      c.log.end();
      c.previousLog = c.log;
    }
    const log = new ContainerLog(() => this.ctx.now());
    c.log = log;
    let proc: RunningContainer;
    try {
      proc = await this.ctx.runtime({
        container: c.spec,
        pod: this.pod,
        podIP: this.podIP,
        gpu: this.gpu,
        timeScale: this.ctx.time.factor,
        log: (line) => log.append(line),
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.append(message);
      log.end();
      if (!this.active || epoch !== c.epoch) return;
      // The process started and exited at once (a bad flag, a model that does not fit): the pod
      // counts as Running, its container in CrashLoopBackOff, as on a real node.
      c.everStarted = true;
      c.startedAtIso = kubeTime(this.ctx.now());
      this.event('Warning', 'Failed', `Error: ${message}`, c);
      await this.terminate(
        c,
        { exitCode: engineForImage(c.image) ? 2 : 128, reason: 'Error', message },
        false,
      );
      return;
    }
    if (!this.active || epoch !== c.epoch) {
      await proc.close().catch(() => undefined);
      return;
    }
    c.process = proc;
    c.startedAtIso = kubeTime(this.ctx.now());
    c.state = { running: { startedAt: c.startedAtIso } };
    c.everStarted = true;
    c.started = !c.spec.startupProbe;
    c.ready = c.started && !c.spec.readinessProbe;
    this.event('Normal', 'Started', `Started container ${c.name}`, c);
    this.writeStatus();
    proc.exited?.then(
      (exit) => {
        if (c.process === proc) void this.terminate(c, exit);
      },
      () => undefined,
    );
    if (c.spec.startupProbe) this.probeLoop(c, 'Startup', c.spec.startupProbe);
    else this.startHealthProbes(c);
  }

  private startHealthProbes(c: ContainerRun): void {
    if (c.spec.livenessProbe) this.probeLoop(c, 'Liveness', c.spec.livenessProbe);
    if (c.spec.readinessProbe) this.probeLoop(c, 'Readiness', c.spec.readinessProbe);
  }

  private probeLoop(
    c: ContainerRun,
    kind: 'Startup' | 'Liveness' | 'Readiness',
    probe: Probe,
  ): void {
    const epoch = c.epoch;
    const p = { ...PROBE_DEFAULTS, ...probe };
    const timeoutMs = Math.max(MIN_PROBE_TIMEOUT_MS, this.ctx.time.ms(p.timeoutSeconds));
    let successes = 0;
    let failures = 0;
    const loop = async () => {
      if (!(await this.sleep(c, this.ctx.time.ms(p.initialDelaySeconds)))) return;
      while (this.active && epoch === c.epoch) {
        const outcome = await runProbe(probe, c.spec, this.podIP, timeoutMs);
        if (!this.active || epoch !== c.epoch) return;
        if (outcome.ok) {
          successes++;
          failures = 0;
          if (kind === 'Startup' && successes >= 1) {
            c.started = true;
            c.ready = !c.spec.readinessProbe;
            this.writeStatus();
            this.startHealthProbes(c);
            return;
          }
          if (kind === 'Readiness' && successes >= p.successThreshold && !c.ready) {
            c.ready = true;
            this.writeStatus();
          }
        } else {
          failures++;
          successes = 0;
          this.event('Warning', 'Unhealthy', `${kind} probe failed: ${outcome.message ?? ''}`, c);
          if (failures >= p.failureThreshold) {
            if (kind === 'Readiness') {
              if (c.ready) {
                c.ready = false;
                this.writeStatus();
              }
            } else {
              const what = kind === 'Startup' ? 'startup' : 'liveness';
              this.event(
                'Normal',
                'Killing',
                `Container ${c.name} failed ${what} probe, will be restarted`,
                c,
              );
              await this.terminate(c, { exitCode: 137, reason: 'Error' });
              return;
            }
          }
        }
        if (!(await this.sleep(c, this.ctx.time.ms(p.periodSeconds)))) return;
      }
    };
    void loop();
  }

  /** Ends a container's run and restarts it as its pod's restartPolicy says, with back-off. */
  private async terminate(
    c: ContainerRun,
    exit: { exitCode: number; reason?: string; message?: string },
    ran = true,
  ): Promise<void> {
    this.clearTimers(c);
    c.epoch++;
    const proc = c.process;
    c.process = undefined;
    if (proc) await proc.close().catch(() => undefined);
    c.log?.end();
    if (!this.active) return;
    const terminated: NonNullable<ContainerState['terminated']> = {
      exitCode: exit.exitCode,
      reason: exit.reason ?? 'Error',
      finishedAt: kubeTime(this.ctx.now()),
    };
    if (exit.message) terminated.message = exit.message;
    if (ran && c.startedAtIso) terminated.startedAt = c.startedAtIso;
    if (c.containerID) terminated.containerID = c.containerID;
    c.ready = false;
    c.started = false;
    const policy = this.pod.spec.restartPolicy ?? 'Always';
    if (policy === 'Never' || (policy === 'OnFailure' && exit.exitCode === 0)) {
      c.state = { terminated };
      this.writeStatus();
      return;
    }
    c.lastState = { terminated };
    const backoffSeconds = c.restartCount === 0 ? 0 : Math.min(300, 10 * 2 ** (c.restartCount - 1));
    c.restartCount++;
    const podRef = `${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.pod.metadata.uid ?? ''})`;
    if (backoffSeconds > 0) {
      c.state = {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off ${backoffSeconds}s restarting failed container=${c.name} pod=${podRef}`,
        },
      };
      this.event(
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${c.name} in pod ${podRef}`,
        c,
      );
    } else {
      c.state = { waiting: { reason: 'ContainerCreating' } };
    }
    this.writeStatus();
    const epoch = c.epoch;
    if (!(await this.sleep(c, this.ctx.time.ms(backoffSeconds))) || epoch !== c.epoch) return;
    await this.pullAndStart(c);
  }

  /** Waits, unless the pod stops or the container's run ends first; false then. */
  private sleep(c: ContainerRun, ms: number): Promise<boolean> {
    if (!this.active) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    const epoch = c.epoch;
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        c.timers.delete(t);
        resolve(this.active && epoch === c.epoch);
      }, ms);
      c.timers.add(t);
      // clearTimers resolves nothing: callers of a cancelled sleep simply never continue.
    });
  }

  private clearTimers(c: ContainerRun): void {
    for (const t of c.timers) clearTimeout(t);
    c.timers.clear();
  }

  private event(
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    c: ContainerRun,
  ): void {
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
    if (!this.active) return;
    const current = this.ctx.store.get(
      RESOURCES.pods,
      this.pod.metadata.namespace,
      this.pod.metadata.name,
    ) as Pod | undefined;
    if (!current || current.metadata.uid !== this.pod.metadata.uid) return;
    this.pod = current;
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
