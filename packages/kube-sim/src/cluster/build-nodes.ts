// Node objects for a parsed node spec: capacity and allocatable (cpu, memory, pods,
// nvidia.com/gpu), the labels of the NVIDIA GPU operator, a Ready condition, and on GPU nodes
// the taint `nvidia.com/gpu=present:NoSchedule` that GPU node pools commonly carry (GKE adds it
// to every GPU pool; EKS/AKS guides recommend it), so only pods that tolerate it land there.
import { kubeTime } from './kube-time.js';
import { CPU_NODE, GPU_TYPES } from './gpu-catalog.js';
import type { Condition, Node, Taint } from './kube-types.js';
import type { NodeGroup } from './parse-node-spec.js';
import { checkPlatformGroups, platformNodeLabels, type NodePlatform } from './platform-labels.js';

export const GPU_TAINT: Taint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };
export const KUBELET_VERSION = 'v1.32.0';

export interface BuildNodesOptions {
  /** Taint GPU nodes with nvidia.com/gpu=present:NoSchedule (default true). */
  gpuTaint?: boolean;
  /**
   * Label GPU nodes like this platform as it comes (default gfd: GPU feature discovery's
   * nvidia.com/gpu.* labels; gke and eks: the cloud's own labels, no nvidia.com/gpu.*).
   */
  platform?: NodePlatform;
  now?: Date;
}

/** The InternalIP of the i-th node (never bound; pods get their own addresses). */
export function nodeAddress(index: number): string {
  return `127.254.${Math.floor(index / 250)}.${(index % 250) + 1}`;
}

export function readyCondition(ready: boolean, time: string): Condition {
  return ready
    ? {
        type: 'Ready',
        status: 'True',
        reason: 'KubeletReady',
        message: 'kubelet is posting ready status',
        lastHeartbeatTime: time,
        lastTransitionTime: time,
      }
    : {
        type: 'Ready',
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        lastHeartbeatTime: time,
        lastTransitionTime: time,
      };
}

export function buildNodes(groups: NodeGroup[], options: BuildNodesOptions = {}): Node[] {
  const time = kubeTime(options.now ?? new Date());
  const platform = options.platform ?? 'gfd';
  checkPlatformGroups(platform, groups);
  const perType = new Map<string, number>();
  const nodes: Node[] = [];
  for (const group of groups) {
    for (let i = 0; i < group.count; i++) {
      const ordinal = perType.get(group.type) ?? 0;
      perType.set(group.type, ordinal + 1);
      nodes.push(
        buildNode(
          group,
          `node-${group.type}-${ordinal}`,
          nodes.length,
          time,
          options.gpuTaint ?? true,
          platform,
        ),
      );
    }
  }
  return nodes;
}

function buildNode(
  group: NodeGroup,
  name: string,
  index: number,
  time: string,
  gpuTaint: boolean,
  platform: NodePlatform,
): Node {
  const gpu = GPU_TYPES[group.type];
  const cpu = gpu ? gpu.cpuPerGpu * group.gpusPerNode : CPU_NODE.cpu;
  const memoryGiB = gpu ? gpu.memoryGiBPerGpu * group.gpusPerNode : CPU_NODE.memoryGiB;
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': 'amd64',
    'node.kubernetes.io/instance-type': gpu ? `sim-${group.type}-${group.gpusPerNode}` : 'sim-cpu',
    'sim.bascule.dev/node-type': group.type,
  };
  const capacity: Record<string, string> = {
    cpu: String(cpu),
    memory: `${memoryGiB * 1024 * 1024}Ki`,
    pods: '110',
    'ephemeral-storage': '1000Gi',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
  };
  if (gpu && platform !== 'gfd') Object.assign(labels, platformNodeLabels(platform, group));
  if (gpu && platform === 'gfd') {
    Object.assign(labels, {
      'nvidia.com/gpu.present': 'true',
      'nvidia.com/gpu.product': gpu.product,
      'nvidia.com/gpu.count': String(group.gpusPerNode),
      'nvidia.com/gpu.memory': String(gpu.memoryMiB),
      'nvidia.com/gpu.family': gpu.family,
      'nvidia.com/gpu.deploy.device-plugin': 'true',
    });
  }
  if (gpu) {
    capacity['nvidia.com/gpu'] = String(group.gpusPerNode);
  }
  const address = nodeAddress(index);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels,
      annotations: { 'sim.bascule.dev/state': 'up', 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: gpu && gpuTaint ? { taints: [{ ...GPU_TAINT }] } : {},
    status: {
      capacity,
      allocatable: { ...capacity },
      conditions: [
        pressure(
          'MemoryPressure',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
          time,
        ),
        pressure('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', time),
        pressure(
          'PIDPressure',
          'KubeletHasSufficientPID',
          'kubelet has sufficient PID available',
          time,
        ),
        readyCondition(true, time),
      ],
      addresses: [
        { type: 'InternalIP', address },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: `sim${index.toString(16).padStart(29, '0')}`,
        systemUUID: `00000000-0000-0000-0000-${index.toString(16).padStart(12, '0')}`,
        bootID: `00000000-0000-0000-0001-${index.toString(16).padStart(12, '0')}`,
        kernelVersion: '6.1.0-sim',
        osImage: 'Ubuntu 22.04.4 LTS',
        containerRuntimeVersion: 'containerd://1.7.22',
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

function pressure(type: string, reason: string, message: string, time: string): Condition {
  return {
    type,
    status: 'False',
    reason,
    message,
    lastHeartbeatTime: time,
    lastTransitionTime: time,
  };
}
