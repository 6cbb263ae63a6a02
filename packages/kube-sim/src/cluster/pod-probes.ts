// A container's startup, liveness and readiness probes over HTTP/TCP at the pod IP, with their
// periods and thresholds in scaled time: startup gates the other two, a failed liveness or
// startup probe restarts the container, readiness sets its Ready condition.
import type { Probe } from './kube-types.js';
import type { ContainerRun, PodWorkerHost } from './pod-worker-host.js';
import { runProbe } from './run-probe.js';

const PROBE_DEFAULTS = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 3,
};
/** Real probe timeouts never go below this, so a busy test machine does not fail probes. */
const MIN_PROBE_TIMEOUT_MS = 1000;

/** Starts a freshly started container's probes: the startup probe first, if it has one. */
export function startProbes(host: PodWorkerHost, c: ContainerRun): void {
  if (c.spec.startupProbe) probeLoop(host, c, 'Startup', c.spec.startupProbe);
  else startHealthProbes(host, c);
}

function startHealthProbes(host: PodWorkerHost, c: ContainerRun): void {
  if (c.spec.livenessProbe) probeLoop(host, c, 'Liveness', c.spec.livenessProbe);
  if (c.spec.readinessProbe) probeLoop(host, c, 'Readiness', c.spec.readinessProbe);
}

function probeLoop(
  host: PodWorkerHost,
  c: ContainerRun,
  kind: 'Startup' | 'Liveness' | 'Readiness',
  probe: Probe,
): void {
  const epoch = c.epoch;
  const p = { ...PROBE_DEFAULTS, ...probe };
  const timeoutMs = Math.max(MIN_PROBE_TIMEOUT_MS, host.ctx.time.ms(p.timeoutSeconds));
  let successes = 0;
  let failures = 0;
  const loop = async () => {
    if (!(await host.sleep(c, host.ctx.time.ms(p.initialDelaySeconds)))) return;
    while (host.active && epoch === c.epoch) {
      const outcome = await runProbe(probe, c.spec, host.podIP, timeoutMs);
      if (!host.active || epoch !== c.epoch) return;
      if (outcome.ok) {
        successes++;
        failures = 0;
        if (kind === 'Startup' && successes >= 1) {
          c.started = true;
          c.ready = !c.spec.readinessProbe;
          host.writeStatus();
          startHealthProbes(host, c);
          return;
        }
        if (kind === 'Readiness' && successes >= p.successThreshold && !c.ready) {
          c.ready = true;
          host.writeStatus();
        }
      } else {
        failures++;
        successes = 0;
        host.event('Warning', 'Unhealthy', `${kind} probe failed: ${outcome.message ?? ''}`, c);
        if (failures >= p.failureThreshold) {
          if (kind === 'Readiness') {
            if (c.ready) {
              c.ready = false;
              host.writeStatus();
            }
          } else {
            const what = kind === 'Startup' ? 'startup' : 'liveness';
            host.event(
              'Normal',
              'Killing',
              `Container ${c.name} failed ${what} probe, will be restarted`,
              c,
            );
            await host.terminate(c, { exitCode: 137, reason: 'Error' });
            return;
          }
        }
      }
      if (!(await host.sleep(c, host.ctx.time.ms(p.periodSeconds)))) return;
    }
  };
  void loop();
}
