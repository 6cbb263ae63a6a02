// Starting one container of a pod: a fresh container ID and log, the runtime (engine-sim or a stub
// server at the pod IP), and then its probes. A process that fails at start counts as started and
// exited at once (CrashLoopBackOff), as on a real node.
import { randomBytes } from 'node:crypto';
import { ContainerLog } from './container-log.js';
import { engineForImage, type RunningContainer } from './container-runtime.js';
import { kubeTime } from './kube-time.js';
import { startProbes } from './pod-probes.js';
import type { ContainerRun, PodWorkerHost } from './pod-worker-host.js';

export async function startContainer(host: PodWorkerHost, c: ContainerRun): Promise<void> {
  const epoch = c.epoch;
  c.containerID = `containerd://${randomBytes(32).toString('hex')}`;
  host.event('Normal', 'Created', `Created container: ${c.name}`, c);
  if (c.log) {
    c.log.end();
    c.previousLog = c.log;
  }
  const log = new ContainerLog(() => host.ctx.now());
  c.log = log;
  let proc: RunningContainer;
  try {
    proc = await host.ctx.runtime({
      container: c.spec,
      pod: host.pod,
      podIP: host.podIP,
      gpu: host.gpu,
      timeScale: host.ctx.time.factor,
      log: (line) => log.append(line),
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.append(message);
    log.end();
    if (!host.active || epoch !== c.epoch) return;
    // The process started and exited at once (a bad flag, a model that does not fit): the pod
    // counts as Running, its container in CrashLoopBackOff, as on a real node.
    c.everStarted = true;
    c.startedAtIso = kubeTime(host.ctx.now());
    host.event('Warning', 'Failed', `Error: ${message}`, c);
    await host.terminate(
      c,
      { exitCode: engineForImage(c.image) ? 2 : 128, reason: 'Error', message },
      false,
    );
    return;
  }
  if (!host.active || epoch !== c.epoch) {
    await proc.close().catch(() => undefined);
    return;
  }
  c.process = proc;
  c.startedAtIso = kubeTime(host.ctx.now());
  c.state = { running: { startedAt: c.startedAtIso } };
  c.everStarted = true;
  c.started = !c.spec.startupProbe;
  c.ready = c.started && !c.spec.readinessProbe;
  host.event('Normal', 'Started', `Started container ${c.name}`, c);
  host.writeStatus();
  proc.exited?.then(
    (exit) => {
      if (c.process === proc) void host.terminate(c, exit);
    },
    () => undefined,
  );
  startProbes(host, c);
}
