/**
 * GPU types Bascule knows by name, with memory per GPU and the node labels that identify their
 * nodes on each platform as it comes (docs/install.md, "GPU node labels", shows this table):
 *
 * - `product`: `nvidia.com/gpu.product` as NVIDIA GPU feature discovery (the GPU operator, or
 *   GFD alone) writes it; `products` lists the other variants of the same GPU GFD may report.
 * - `gkeAccelerator`: GKE's `cloud.google.com/gke-accelerator`, set on every GPU node pool.
 * - `eksInstanceTypes`: the `node.kubernetes.io/instance-type` values of the EC2 instances
 *   carrying this GPU (every EKS node has it: managed node groups, Karpenter and Auto Mode).
 *
 * `spec.gpus` may name other types too (through the controller's GPU profile file).
 */
export interface KnownGpuType {
  product: string;
  /** More `nvidia.com/gpu.product` values of this GPU (PCIe/SXM variants). */
  products?: readonly string[];
  memoryGiB: number;
  /** `cloud.google.com/gke-accelerator` values; absent when GKE offers no such GPU. */
  gkeAccelerator?: readonly string[];
  /** EC2 instance types with this GPU; absent when EC2 offers none. */
  eksInstanceTypes?: readonly string[];
}

const sizes = (family: string, list: string) => list.split(' ').map((s) => `${family}.${s}`);

export const KNOWN_GPU_TYPES: Readonly<Record<string, KnownGpuType>> = {
  'nvidia-b200': {
    product: 'NVIDIA-B200',
    memoryGiB: 180,
    gkeAccelerator: ['nvidia-b200'],
    eksInstanceTypes: ['p6-b200.48xlarge'],
  },
  'nvidia-h200': {
    product: 'NVIDIA-H200',
    memoryGiB: 141,
    gkeAccelerator: ['nvidia-h200-141gb'],
    eksInstanceTypes: ['p5e.48xlarge', 'p5en.48xlarge'],
  },
  'nvidia-h100': {
    product: 'NVIDIA-H100-80GB-HBM3',
    products: ['NVIDIA-H100-PCIe'],
    memoryGiB: 80,
    gkeAccelerator: ['nvidia-h100-80gb', 'nvidia-h100-mega-80gb'],
    eksInstanceTypes: ['p5.4xlarge', 'p5.48xlarge'],
  },
  'nvidia-a100': {
    product: 'NVIDIA-A100-SXM4-80GB',
    products: ['NVIDIA-A100-80GB-PCIe'],
    memoryGiB: 80,
    gkeAccelerator: ['nvidia-a100-80gb'],
    eksInstanceTypes: ['p4de.24xlarge'],
  },
  'nvidia-a100-40gb': {
    product: 'NVIDIA-A100-SXM4-40GB',
    products: ['NVIDIA-A100-PCIE-40GB'],
    memoryGiB: 40,
    gkeAccelerator: ['nvidia-tesla-a100'],
    eksInstanceTypes: ['p4d.24xlarge'],
  },
  'nvidia-l40s': {
    product: 'NVIDIA-L40S',
    memoryGiB: 48,
    eksInstanceTypes: sizes(
      'g6e',
      'xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge',
    ),
  },
  'nvidia-l4': {
    product: 'NVIDIA-L4',
    memoryGiB: 24,
    gkeAccelerator: ['nvidia-l4'],
    eksInstanceTypes: [
      ...sizes('g6', 'xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge'),
      ...sizes('gr6', '4xlarge 8xlarge'),
    ],
  },
  'nvidia-a10g': {
    product: 'NVIDIA-A10G',
    memoryGiB: 24,
    eksInstanceTypes: sizes(
      'g5',
      'xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge',
    ),
  },
  'nvidia-t4': {
    product: 'Tesla-T4',
    memoryGiB: 16,
    gkeAccelerator: ['nvidia-tesla-t4'],
    eksInstanceTypes: sizes('g4dn', 'xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal'),
  },
};
