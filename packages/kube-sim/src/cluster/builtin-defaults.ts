// The API server's defaulting for the built-in kinds the cluster runs (pods, pod templates in
// Deployments and ReplicaSets, Services), so objects read back as from a real cluster:
// container port protocols, probe timings, pull policy, restart/DNS policy, scheduler name,
// Deployment strategy (25%/25%), history limit, progress deadline, Service type and cluster IP.
// Only missing fields are set. Registered on the store as a plugin by startKubeSim.
import type { StorePlugin } from '../store/store-plugin.js';
import type { KubeObject } from '../store/types.js';
import type { Container, PodSpec, Probe } from './kube-types.js';

type Obj = Record<string, unknown>;

function setDefault(obj: Obj, key: string, value: unknown): void {
  if (obj[key] === undefined) obj[key] = value;
}

function defaultProbe(probe: Probe | undefined): void {
  if (!probe) return;
  const p = probe as unknown as Obj;
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  if (probe.httpGet) setDefault(probe.httpGet as unknown as Obj, 'scheme', 'HTTP');
}

function pullPolicy(image: string | undefined): string {
  const ref = image ?? '';
  if (ref.includes('@')) return 'IfNotPresent';
  const tag = /:([^/:]+)$/.exec(ref)?.[1];
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: Container): void {
  const o = c as unknown as Obj;
  for (const port of c.ports ?? []) setDefault(port as unknown as Obj, 'protocol', 'TCP');
  setDefault(o, 'imagePullPolicy', pullPolicy(c.image));
  setDefault(o, 'terminationMessagePath', '/dev/termination-log');
  setDefault(o, 'terminationMessagePolicy', 'File');
  setDefault(o, 'resources', {});
  const resources = o.resources as { requests?: Obj; limits?: Obj };
  if (resources.limits) {
    // Requests default to limits where unset, as the API server does.
    resources.requests = { ...resources.limits, ...(resources.requests ?? {}) };
  }
  defaultProbe(c.readinessProbe);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.startupProbe);
}

export function defaultPodSpec(spec: PodSpec | undefined): void {
  if (!spec) return;
  const o = spec as unknown as Obj;
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  setDefault(o, 'restartPolicy', 'Always');
  setDefault(o, 'terminationGracePeriodSeconds', 30);
  setDefault(o, 'dnsPolicy', 'ClusterFirst');
  setDefault(o, 'securityContext', {});
  setDefault(o, 'schedulerName', 'default-scheduler');
  setDefault(o, 'enableServiceLinks', true);
  setDefault(o, 'preemptionPolicy', 'PreemptLowerPriority');
  setDefault(o, 'priority', 0);
}

/** Seconds a pod stays bound to a NotReady or unreachable node before eviction. */
export const DEFAULT_TOLERATION_SECONDS = 300;

/**
 * The DefaultTolerationSeconds admission plugin: a new pod without its own NoExecute
 * toleration for node.kubernetes.io/not-ready or /unreachable gets one for 300 s, so pods on a
 * lost node are evicted (and replaced elsewhere) after five minutes, not at once.
 */
export function defaultTolerationSeconds(spec: PodSpec | undefined): void {
  if (!spec) return;
  const tolerations = spec.tolerations ?? [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const covered = tolerations.some(
      (t) =>
        (t.key === key || (t.key === undefined && t.operator === 'Exists')) &&
        (t.effect === undefined || t.effect === 'NoExecute'),
    );
    if (!covered)
      tolerations.push({
        key,
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: DEFAULT_TOLERATION_SECONDS,
      });
  }
  spec.tolerations = tolerations;
}

export function defaultWorkload(object: KubeObject, kind: 'Deployment' | 'ReplicaSet'): void {
  const spec = object.spec as Obj | undefined;
  if (!spec) return;
  setDefault(spec, 'replicas', 1);
  if (kind === 'Deployment') {
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    setDefault(spec, 'strategy', {});
    const strategy = spec.strategy as Obj;
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      setDefault(strategy, 'rollingUpdate', {});
      const rolling = strategy.rollingUpdate as Obj;
      setDefault(rolling, 'maxSurge', '25%');
      setDefault(rolling, 'maxUnavailable', '25%');
    }
  }
  const template = spec.template as { spec?: PodSpec } | undefined;
  defaultPodSpec(template?.spec);
}

/** Cluster IPs from 10.96.0.0/16 (never routed: kube-sim clients reach pods at their pod IPs). */
export function createServiceDefaulter(): ((object: KubeObject) => void) & {
  /** Marks a cluster IP as taken (a Service restored from a state file). */
  reserve(ip: string): void;
} {
  let next = 1;
  const used = new Set<string>(['10.96.0.1']);
  const defaulter = (object: KubeObject) => {
    const spec = (object.spec ?? (object.spec = {})) as Obj;
    setDefault(spec, 'type', 'ClusterIP');
    setDefault(spec, 'sessionAffinity', 'None');
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    setDefault(spec, 'ipFamilies', ['IPv4']);
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
    for (const port of (spec.ports as Obj[] | undefined) ?? []) {
      setDefault(port, 'protocol', 'TCP');
      setDefault(port, 'targetPort', port.port);
    }
    if (spec.type === 'ExternalName') return;
    if (spec.clusterIP === undefined || spec.clusterIP === '') {
      let ip: string;
      do {
        next++;
        ip = `10.96.${Math.floor(next / 254) % 256}.${(next % 254) + 1}`;
      } while (used.has(ip) && next < 65_000);
      used.add(ip);
      spec.clusterIP = ip;
    } else if (typeof spec.clusterIP === 'string') {
      used.add(spec.clusterIP);
    }
    setDefault(spec, 'clusterIPs', [spec.clusterIP]);
  };
  return Object.assign(defaulter, { reserve: (ip: string) => void used.add(ip) });
}

/** As the API server does: stringData is write-only, merged into data (base64) on every write. */
export function mergeSecretStringData(object: KubeObject): void {
  const stringData = object.stringData as Record<string, unknown> | undefined;
  setDefault(object, 'type', 'Opaque');
  if (!stringData || typeof stringData !== 'object') return;
  const data = { ...((object.data as Record<string, string> | undefined) ?? {}) };
  for (const [key, value] of Object.entries(stringData)) {
    data[key] = Buffer.from(String(value), 'utf8').toString('base64');
  }
  object.data = data;
  delete object.stringData;
}

export function builtinDefaultsPlugin(): StorePlugin {
  const defaultService = createServiceDefaulter();
  return {
    prepare(ctx) {
      if (ctx.type.crd || ctx.subresource === 'status') return ctx.object;
      const { group, resource } = ctx.ref;
      if (group === '' && resource === 'pods') {
        defaultPodSpec(ctx.object.spec as PodSpec | undefined);
        if (!ctx.old) defaultTolerationSeconds(ctx.object.spec as PodSpec | undefined);
      } else if (group === 'apps' && resource === 'deployments')
        defaultWorkload(ctx.object, 'Deployment');
      else if (group === 'apps' && resource === 'replicasets')
        defaultWorkload(ctx.object, 'ReplicaSet');
      else if (group === '' && resource === 'secrets') mergeSecretStringData(ctx.object);
      else if (group === '' && resource === 'services') {
        const oldSpec = ctx.old?.spec as Obj | undefined;
        const spec = ctx.object.spec as Obj | undefined;
        if (oldSpec?.clusterIP && spec && spec.clusterIP === undefined) {
          spec.clusterIP = oldSpec.clusterIP; // cluster IPs are immutable
          spec.clusterIPs = oldSpec.clusterIPs;
        }
        defaultService(ctx.object);
      }
      return ctx.object;
    },
    committed(type, event) {
      // Services restored from a state file keep their cluster IPs: never hand those out again.
      if (type.group !== '' || type.resource !== 'services') return;
      const ip = (event.object.spec as Obj | undefined)?.clusterIP;
      if (typeof ip === 'string' && ip !== 'None') defaultService.reserve(ip);
    },
  };
}
