// Parses a node spec such as "h100:2x8,l4:4x1,cpu:2": groups of identical nodes, each
// `TYPE:COUNTxGPUS` (COUNT nodes with GPUS GPUs of TYPE), `TYPE:COUNT` (one GPU each) or
// `cpu:COUNT` (nodes without GPUs).
import { GPU_TYPES } from './gpu-catalog.js';

export interface NodeGroup {
  /** A key of GPU_TYPES, or 'cpu' for nodes without GPUs. */
  type: string;
  count: number;
  gpusPerNode: number;
}

export class NodeSpecError extends Error {
  override name = 'NodeSpecError';
}

const ITEM = /^([a-z0-9-]+):(\d+)(?:x(\d+))?$/;

export function parseNodeSpec(spec: string): NodeGroup[] {
  const items = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0)
    throw new NodeSpecError('--nodes: empty node spec (expected e.g. "h100:2x8,l4:4x1")');
  return items.map((item) => {
    const match = ITEM.exec(item.toLowerCase());
    if (!match) {
      throw new NodeSpecError(
        `--nodes: "${item}" is not TYPE:COUNTxGPUS (e.g. "h100:2x8", "l4:4x1", "cpu:2")`,
      );
    }
    const type = match[1] ?? '';
    const count = Number(match[2]);
    const gpusPerNode = type === 'cpu' ? 0 : Number(match[3] ?? '1');
    if (type !== 'cpu' && !GPU_TYPES[type]) {
      throw new NodeSpecError(
        `--nodes: unknown GPU type "${type}" in "${item}" (known: ${Object.keys(GPU_TYPES).join(', ')}, cpu)`,
      );
    }
    if (type === 'cpu' && match[3] !== undefined)
      throw new NodeSpecError(`--nodes: "${item}": cpu nodes take no GPU count`);
    if (count < 1 || count > 5000)
      throw new NodeSpecError(`--nodes: node count in "${item}" must be 1..5000`);
    if (type !== 'cpu' && (gpusPerNode < 1 || gpusPerNode > 16)) {
      throw new NodeSpecError(`--nodes: GPUs per node in "${item}" must be 1..16`);
    }
    return { type, count, gpusPerNode };
  });
}
