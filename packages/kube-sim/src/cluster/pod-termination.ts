// The end of a container's run: its state becomes terminated (exit code, reason, times), and the
// pod's restartPolicy decides whether it restarts, after a CrashLoopBackOff back-off doubling from
// 10 s to 300 s. Also the preStop hook a graceful delete runs first, cut short by the grace period.
import type { ContainerState } from './kube-types.js';
import { kubeTime } from './kube-time.js';
import type { ContainerExit, ContainerRun, PodWorkerHost } from './pod-worker-host.js';
import { preStopSleepSeconds } from './pre-stop.js';
import { runProbe } from './run-probe.js';

/** Ends a container's run and restarts it as its pod's restartPolicy says, with back-off. */
export async function terminateContainer(
  host: PodWorkerHost,
  c: ContainerRun,
  exit: ContainerExit,
  ran = true,
): Promise<void> {
  host.clearTimers(c);
  c.epoch++;
  const proc = c.process;
  c.process = undefined;
  if (proc) await proc.close().catch(() => undefined);
  c.log?.end();
  if (!host.active) return;
  const terminated: NonNullable<ContainerState['terminated']> = {
    exitCode: exit.exitCode,
    reason: exit.reason ?? 'Error',
    finishedAt: kubeTime(host.ctx.now()),
  };
  if (exit.message) terminated.message = exit.message;
  if (ran && c.startedAtIso) terminated.startedAt = c.startedAtIso;
  if (c.containerID) terminated.containerID = c.containerID;
  c.ready = false;
  c.started = false;
  const pod = host.pod;
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (policy === 'Never' || (policy === 'OnFailure' && exit.exitCode === 0)) {
    c.state = { terminated };
    host.writeStatus();
    return;
  }
  c.lastState = { terminated };
  const backoffSeconds = c.restartCount === 0 ? 0 : Math.min(300, 10 * 2 ** (c.restartCount - 1));
  c.restartCount++;
  const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid ?? ''})`;
  if (backoffSeconds > 0) {
    c.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${backoffSeconds}s restarting failed container=${c.name} pod=${podRef}`,
      },
    };
    host.event(
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${c.name} in pod ${podRef}`,
      c,
    );
  } else {
    c.state = { waiting: { reason: 'ContainerCreating' } };
  }
  host.writeStatus();
  const epoch = c.epoch;
  if (!(await host.sleep(c, host.ctx.time.ms(backoffSeconds))) || epoch !== c.epoch) return;
  await host.pullAndStart(c);
}

/**
 * Runs a container's preStop hook, for at most graceMs; `onKill` receives the function that ends
 * it at once (the kubelet is closing).
 */
export async function runPreStop(
  host: PodWorkerHost,
  c: ContainerRun,
  graceMs: number,
  onKill: (kill: () => void) => void,
): Promise<void> {
  const hook = c.spec.lifecycle?.preStop;
  if (!hook) return;
  const timers: NodeJS.Timeout[] = [];
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      timers.push(setTimeout(resolve, ms));
    });
  const run = async () => {
    const seconds = preStopSleepSeconds(hook);
    if (seconds > 0) await wait(host.ctx.time.ms(seconds));
    if (hook.httpGet)
      await runProbe({ httpGet: hook.httpGet }, c.spec, host.podIP, Math.min(graceMs, 5000));
  };
  const killed = new Promise<void>((resolve) => onKill(resolve));
  try {
    await Promise.race([run(), wait(graceMs), killed]);
  } finally {
    for (const t of timers) clearTimeout(t);
  }
}
