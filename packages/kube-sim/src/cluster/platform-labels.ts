// How each platform labels a GPU node as it comes, written from the platforms' own docs and
// independent of Bascule's GPU profile table (so a test placing Models on these nodes checks the
// table against the platforms, not against itself):
//
// - gfd: NVIDIA GPU feature discovery (the GPU operator): `nvidia.com/gpu.product` and friends.
// - gke: a GKE GPU node pool without the GPU operator: `cloud.google.com/gke-accelerator`, the
//   node pool, and the Compute Engine machine type as `node.kubernetes.io/instance-type`.
// - eks: an EKS node (managed node group, Karpenter or Auto Mode) without the GPU operator: the EC2
//   instance type as `node.kubernetes.io/instance-type` and the node group.
import { NodeSpecError, type NodeGroup } from './parse-node-spec.js';

export const NODE_PLATFORMS = ['gfd', 'gke', 'eks'] as const;
export type NodePlatform = (typeof NODE_PLATFORMS)[number];

interface MachineCatalog {
  /** The platform's accelerator label value, if it has one. */
  accelerator?: string;
  /** GPUs per machine -> machine (instance) type. */
  machines: Record<number, string>;
}

/** GKE: accelerator names and accelerator-optimised machine types (A3, A2, G2; T4 on N1). */
const GKE: Record<string, MachineCatalog> = {
  h100: {
    accelerator: 'nvidia-h100-80gb',
    machines: { 1: 'a3-highgpu-1g', 2: 'a3-highgpu-2g', 4: 'a3-highgpu-4g', 8: 'a3-highgpu-8g' },
  },
  h200: { accelerator: 'nvidia-h200-141gb', machines: { 8: 'a3-ultragpu-8g' } },
  a100: {
    accelerator: 'nvidia-a100-80gb',
    machines: {
      1: 'a2-ultragpu-1g',
      2: 'a2-ultragpu-2g',
      4: 'a2-ultragpu-4g',
      8: 'a2-ultragpu-8g',
    },
  },
  'a100-40gb': {
    accelerator: 'nvidia-tesla-a100',
    machines: {
      1: 'a2-highgpu-1g',
      2: 'a2-highgpu-2g',
      4: 'a2-highgpu-4g',
      8: 'a2-highgpu-8g',
      16: 'a2-megagpu-16g',
    },
  },
  l4: {
    accelerator: 'nvidia-l4',
    machines: { 1: 'g2-standard-8', 2: 'g2-standard-24', 4: 'g2-standard-48', 8: 'g2-standard-96' },
  },
  t4: {
    accelerator: 'nvidia-tesla-t4',
    machines: { 1: 'n1-standard-8', 2: 'n1-standard-16', 4: 'n1-standard-32' },
  },
};

/** EKS: EC2 GPU instance types (P5, P5e, P4de, P4d, G6e, G6, G5, G4dn). */
const EKS: Record<string, MachineCatalog> = {
  h100: { machines: { 1: 'p5.4xlarge', 8: 'p5.48xlarge' } },
  h200: { machines: { 8: 'p5e.48xlarge' } },
  a100: { machines: { 8: 'p4de.24xlarge' } },
  'a100-40gb': { machines: { 8: 'p4d.24xlarge' } },
  l40s: { machines: { 1: 'g6e.xlarge', 4: 'g6e.12xlarge', 8: 'g6e.48xlarge' } },
  l4: { machines: { 1: 'g6.xlarge', 4: 'g6.12xlarge', 8: 'g6.48xlarge' } },
  a10g: { machines: { 1: 'g5.xlarge', 4: 'g5.12xlarge', 8: 'g5.48xlarge' } },
  t4: { machines: { 1: 'g4dn.xlarge', 4: 'g4dn.12xlarge', 8: 'g4dn.metal' } },
};

const CATALOGS: Record<Exclude<NodePlatform, 'gfd'>, Record<string, MachineCatalog>> = {
  gke: GKE,
  eks: EKS,
};

export function isNodePlatform(value: string): value is NodePlatform {
  return (NODE_PLATFORMS as readonly string[]).includes(value);
}

/** The machine of a GPU node group on a platform; a NodeSpecError when the platform has none. */
function machineOf(platform: 'gke' | 'eks', group: NodeGroup): MachineCatalog & { type: string } {
  const name = platform.toUpperCase();
  const catalog = CATALOGS[platform][group.type];
  if (!catalog)
    throw new NodeSpecError(
      `--nodes: ${name} has no ${group.type} GPUs (it has: ${Object.keys(CATALOGS[platform]).join(', ')})`,
    );
  const type = catalog.machines[group.gpusPerNode];
  if (!type)
    throw new NodeSpecError(
      `--nodes: ${name} has no machine with ${group.gpusPerNode} ${group.type} GPUs (${Object.keys(catalog.machines).join(', ')})`,
    );
  return { ...catalog, type };
}

/** Checks that every GPU group of a node spec exists on the platform (throws NodeSpecError). */
export function checkPlatformGroups(platform: NodePlatform, groups: NodeGroup[]): void {
  if (platform === 'gfd') return;
  for (const g of groups) if (g.type !== 'cpu') machineOf(platform, g);
}

/**
 * The platform's labels of a node of `group` (GPU nodes only; CPU nodes keep the generic ones).
 * For gfd: none beyond GPU feature discovery's, which build-nodes adds.
 */
export function platformNodeLabels(
  platform: NodePlatform,
  group: NodeGroup,
): Record<string, string> {
  if (platform === 'gfd' || group.type === 'cpu') return {};
  const machine = machineOf(platform, group);
  if (platform === 'gke') {
    return {
      'node.kubernetes.io/instance-type': machine.type,
      'cloud.google.com/gke-accelerator': machine.accelerator!,
      'cloud.google.com/gke-nodepool': `gpu-${group.type}-${group.gpusPerNode}`,
      'cloud.google.com/machine-family': machine.type.split('-')[0]!,
      'topology.kubernetes.io/region': 'us-central1',
      'topology.kubernetes.io/zone': 'us-central1-a',
    };
  }
  return {
    'node.kubernetes.io/instance-type': machine.type,
    'eks.amazonaws.com/nodegroup': `gpu-${group.type}-${group.gpusPerNode}`,
    'eks.amazonaws.com/capacityType': 'ON_DEMAND',
    'topology.kubernetes.io/region': 'us-east-1',
    'topology.kubernetes.io/zone': 'us-east-1a',
  };
}
