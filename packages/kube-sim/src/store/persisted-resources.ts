// What kube-sim's state file keeps (docs/decisions/0009-kube-sim-state.md): what a real cluster
// keeps in etcd across a restart, less what belongs to the simulated machines, which are new on
// every start. Nodes come from the --nodes spec, their Pods' processes and IPs are gone (the
// ReplicaSet controller replaces them, as after a node replacement), and what is derived from
// those (node Leases, controller-made EndpointSlices, Events) is rebuilt by the controllers.
import { tableKey } from './object-keys.js';
import type { ResourceType } from './resource-type.js';
import type { KubeObject } from './types.js';

const RUNTIME = new Set(['/pods', '/nodes', '/events', 'events.k8s.io/events']);
const SLICE_MANAGER = 'endpointslice.kubernetes.io/managed-by';

/** True for the objects kube-sim writes to its state file. */
export function keepInStateFile(type: ResourceType, object: KubeObject): boolean {
  const key = tableKey(type);
  if (RUNTIME.has(key)) return false;
  if (key === 'coordination.k8s.io/leases') return object.metadata.namespace !== 'kube-node-lease';
  if (key === 'discovery.k8s.io/endpointslices')
    return object.metadata.labels?.[SLICE_MANAGER] !== 'endpointslice-controller.k8s.io';
  return true;
}
