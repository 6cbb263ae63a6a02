// A container's simulated image pull: the node's image cache, the pull time, and images kube-sim
// declares unpullable (ErrImagePull, then ImagePullBackOff, retried with back-off), each step
// recorded as the kubelet's Events and written to the pod's status.
import { imagePullError } from './container-config.js';
import type { ContainerRun, PodWorkerHost } from './pod-worker-host.js';

/** Pulls the container's image; false when the pod stopped or the run ended meanwhile. */
export async function pullImage(host: PodWorkerHost, c: ContainerRun): Promise<boolean> {
  const epoch = c.epoch;
  const image = c.image;
  const cacheKey = `${host.nodeName}|${image}`;
  const pullError = imagePullError(image);
  if (pullError && !(await failPull(host, c, image, pullError))) return false;
  if (host.ctx.imageCache.has(cacheKey) && c.spec.imagePullPolicy !== 'Always') {
    host.event('Normal', 'Pulled', `Container image "${image}" already present on machine`, c);
  } else {
    host.event('Normal', 'Pulling', `Pulling image "${image}"`, c);
    const seconds = host.ctx.pullSeconds(image);
    if (!(await host.sleep(c, host.ctx.time.ms(seconds))) || epoch !== c.epoch) return false;
    host.ctx.imageCache.add(cacheKey);
    const took = `${seconds.toFixed(3)}s`;
    const size = 100_000_000 + ((image.length * 7_919_000) % 900_000_000);
    host.event(
      'Normal',
      'Pulled',
      `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`,
      c,
    );
  }
  c.pulled = true;
  return true;
}

/** Pulls an image kube-sim declares unpullable: ErrImagePull, then ImagePullBackOff, retried. */
async function failPull(
  host: PodWorkerHost,
  c: ContainerRun,
  image: string,
  error: string,
): Promise<boolean> {
  let backoff = 10;
  for (;;) {
    const epoch = c.epoch;
    host.event('Normal', 'Pulling', `Pulling image "${image}"`, c);
    host.event('Warning', 'Failed', `Failed to pull image "${image}": ${error}`, c);
    host.event('Warning', 'Failed', 'Error: ErrImagePull', c);
    c.state = { waiting: { reason: 'ErrImagePull', message: error } };
    host.writeStatus();
    if (!(await host.sleep(c, host.ctx.time.ms(1))) || epoch !== c.epoch) return false;
    host.event('Normal', 'BackOff', `Back-off pulling image "${image}"`, c);
    host.event('Warning', 'Failed', 'Error: ImagePullBackOff', c);
    c.state = {
      waiting: {
        reason: 'ImagePullBackOff',
        message: `Back-off pulling image "${image}": ErrImagePull: ${error}`,
      },
    };
    host.writeStatus();
    if (!(await host.sleep(c, host.ctx.time.ms(backoff))) || epoch !== c.epoch) return false;
    backoff = Math.min(300, backoff * 2);
    if (!imagePullError(image)) return true;
  }
}
