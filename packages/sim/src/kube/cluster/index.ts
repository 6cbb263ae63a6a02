export { createCluster, type Cluster, type ClusterOptions } from './create-cluster.js';
export { parseNodeSpec, NodeSpecError, type NodeGroup } from './parse-node-spec.js';
export { buildNodes, GPU_TAINT } from './build-nodes.js';
export { GPU_TYPES, type GpuType } from './gpu-catalog.js';
export { NODE_STATE_ANNOTATION } from './node-controller.js';
export { CRASH_ANNOTATION } from './kubelet.js';
export { schedulePod, formatFitError } from './schedule-pod.js';
export { podTemplateHash } from './pod-template-hash.js';
export type { ContainerRuntime, StartEngineSim } from './container-runtime.js';
