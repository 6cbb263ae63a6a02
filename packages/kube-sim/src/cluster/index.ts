export { createCluster, type Cluster, type ClusterOptions } from './create-cluster.js';
export { parseNodeSpec, NodeSpecError, type NodeGroup } from './parse-node-spec.js';
export { buildNodes, GPU_TAINT } from './build-nodes.js';
export { GPU_TYPES, type GpuType } from './gpu-catalog.js';
export { NODE_STATE_ANNOTATION } from './node-controller.js';
export { CRASH_ANNOTATION } from './kubelet.js';
export { schedulePod, formatFitError } from './schedule-pod.js';
export { podTemplateHash } from './pod-template-hash.js';
export {
  createContainerRuntime,
  type ContainerRuntime,
  type RunningContainer,
  type StartContainerOptions,
  type StartEngineSim,
} from './container-runtime.js';
export {
  NODE_PLATFORMS,
  isNodePlatform,
  platformNodeLabels,
  type NodePlatform,
} from './platform-labels.js';
export { builtinDefaultsPlugin, defaultPodSpec } from './builtin-defaults.js';
export { claimPodIpBlock, type PodIpBlockClaim } from './claim-pod-ip-block.js';
export {
  podAdmissionPlugin,
  addExtendedResourceTolerations,
  GPU_TAINTS,
  isGpuTaints,
  type GpuTaints,
} from './pod-admission-plugin.js';
export { RESOURCES } from './kube-types.js';
