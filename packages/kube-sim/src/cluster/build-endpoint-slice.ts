// A Service's EndpointSlice (discovery.k8s.io/v1) and core Endpoints from the pods its selector
// matches (pure). Ports are the pods' target ports; a named targetPort is looked up in the
// pods' container ports.
import type { KubeObject } from '../store/types.js';
import { isPodReady, type Pod, type Service, type ServicePort } from './kube-types.js';

export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

function resolveTargetPort(port: ServicePort, pods: Pod[]): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const pod of pods) {
    for (const c of pod.spec.containers) {
      const found = c.ports?.find((p) => p.name === target);
      if (found) return found.containerPort;
    }
  }
  return undefined;
}

export function slicePorts(service: Service, pods: Pod[]): SlicePort[] {
  const out: SlicePort[] = [];
  for (const p of service.spec?.ports ?? []) {
    const port = resolveTargetPort(p, pods);
    if (port === undefined) continue;
    const entry: SlicePort = { name: p.name ?? '', port, protocol: p.protocol ?? 'TCP' };
    if (p.appProtocol) entry.appProtocol = p.appProtocol;
    out.push(entry);
  }
  return out;
}

/** Pods with an address that belong in the Service's endpoints (with terminating ones, or not). */
export function endpointPods(pods: Pod[], withTerminating = false): Pod[] {
  return pods
    .filter(
      (p) =>
        p.status?.podIP &&
        (withTerminating || !p.metadata.deletionTimestamp) &&
        p.status.phase !== 'Failed' &&
        p.status.phase !== 'Succeeded',
    )
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

/**
 * The slice lists terminating pods too, as the EndpointSlice controller does: ready=false,
 * serving = the pod's readiness, terminating=true (the core Endpoints leave them out).
 */
export function buildEndpointSlice(service: Service, pods: Pod[], name: string): KubeObject {
  const members = endpointPods(pods, true);
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      namespace: service.metadata.namespace,
      labels: {
        'kubernetes.io/service-name': service.metadata.name,
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: service.metadata.name,
          uid: service.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType: 'IPv4',
    endpoints: members.map((p) => {
      const serving = isPodReady(p);
      const terminating = Boolean(p.metadata.deletionTimestamp);
      return {
        addresses: [p.status?.podIP ?? ''],
        conditions: { ready: serving && !terminating, serving, terminating },
        nodeName: p.spec.nodeName,
        targetRef: {
          kind: 'Pod',
          namespace: p.metadata.namespace,
          name: p.metadata.name,
          uid: p.metadata.uid,
        },
      };
    }),
    ports: slicePorts(service, members),
  };
}

export function buildEndpoints(service: Service, pods: Pod[]): KubeObject {
  const members = endpointPods(pods);
  const address = (p: Pod) => ({
    ip: p.status?.podIP ?? '',
    nodeName: p.spec.nodeName,
    targetRef: {
      kind: 'Pod',
      namespace: p.metadata.namespace,
      name: p.metadata.name,
      uid: p.metadata.uid,
    },
  });
  const ready = members.filter(isPodReady).map(address);
  const notReady = members.filter((p) => !isPodReady(p)).map(address);
  const ports = slicePorts(service, members).map((p) => ({ ...p, name: p.name || undefined }));
  const subset: Record<string, unknown> = { ports };
  if (ready.length > 0) subset.addresses = ready;
  if (notReady.length > 0) subset.notReadyAddresses = notReady;
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: service.metadata.name,
      namespace: service.metadata.namespace,
      labels: { ...(service.metadata.labels ?? {}) },
    },
    subsets: members.length > 0 ? [subset] : [],
  };
}
