// The kubelet's wait for a container's configuration: a missing Secret/ConfigMap (or key) in its
// environment is CreateContainerConfigError, retried every RETRY_SECONDS until it exists; a
// missing volume keeps the whole pod ContainerCreating (FailedMount) the same way.
import { containerConfigError, volumeMountError } from './container-config.js';
import type { ContainerRun, PodWorkerHost } from './pod-worker-host.js';

/** Simulated seconds between the kubelet's retries of a missing volume or container config. */
const RETRY_SECONDS = 10;

/** Waits until the pod's volumes mount; false when the pod stopped meanwhile. */
export async function awaitVolumes(
  host: PodWorkerHost,
  first: ContainerRun | undefined,
  podEvent: (type: 'Normal' | 'Warning', reason: string, message: string) => void,
): Promise<boolean> {
  for (let mountError = volumeMountError(host.pod, host.lookup()); mountError;) {
    podEvent('Warning', 'FailedMount', mountError);
    if (!first || !(await host.sleep(first, host.ctx.time.ms(RETRY_SECONDS)))) return false;
    mountError = volumeMountError(host.pod, host.lookup());
  }
  return true;
}

/** Waits until the container's environment resolves; false when its run ended meanwhile. */
export async function awaitContainerConfig(host: PodWorkerHost, c: ContainerRun): Promise<boolean> {
  const configError = () =>
    containerConfigError(c.spec, host.pod.metadata.namespace ?? 'default', host.lookup());
  for (let error = configError(); error; error = configError()) {
    const e = c.epoch;
    host.event('Warning', 'Failed', `Error: ${error}`, c);
    c.state = { waiting: { reason: 'CreateContainerConfigError', message: error } };
    host.writeStatus();
    if (!(await host.sleep(c, host.ctx.time.ms(RETRY_SECONDS))) || e !== c.epoch) return false;
  }
  return true;
}
