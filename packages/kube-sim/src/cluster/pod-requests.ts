// What a pod asks the scheduler for: the sum of its containers' requests (limits stand in for
// missing requests, as the API server defaults them), or the largest init container's, if larger.
import { parseCpuMillis, parseQuantity } from './quantity.js';
import type { Container, Pod } from './kube-types.js';

export interface PodRequests {
  cpuMillis: number;
  memoryBytes: number;
  /** Extended resources and everything else, e.g. {'nvidia.com/gpu': 2}. */
  scalar: Record<string, number>;
}

function containerRequests(c: Container): PodRequests {
  const merged = { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
  const out: PodRequests = { cpuMillis: 0, memoryBytes: 0, scalar: {} };
  for (const [name, value] of Object.entries(merged)) {
    if (name === 'cpu') out.cpuMillis = parseCpuMillis(value);
    else if (name === 'memory') out.memoryBytes = parseQuantity(value);
    else out.scalar[name] = parseQuantity(value);
  }
  return out;
}

function add(a: PodRequests, b: PodRequests): PodRequests {
  const scalar = { ...a.scalar };
  for (const [k, v] of Object.entries(b.scalar)) scalar[k] = (scalar[k] ?? 0) + v;
  return {
    cpuMillis: a.cpuMillis + b.cpuMillis,
    memoryBytes: a.memoryBytes + b.memoryBytes,
    scalar,
  };
}

function max(a: PodRequests, b: PodRequests): PodRequests {
  const scalar = { ...a.scalar };
  for (const [k, v] of Object.entries(b.scalar)) scalar[k] = Math.max(scalar[k] ?? 0, v);
  return {
    cpuMillis: Math.max(a.cpuMillis, b.cpuMillis),
    memoryBytes: Math.max(a.memoryBytes, b.memoryBytes),
    scalar,
  };
}

export function emptyRequests(): PodRequests {
  return { cpuMillis: 0, memoryBytes: 0, scalar: {} };
}

export function podRequests(pod: Pick<Pod, 'spec'>): PodRequests {
  const sum = pod.spec.containers.reduce(
    (acc, c) => add(acc, containerRequests(c)),
    emptyRequests(),
  );
  return (pod.spec.initContainers ?? []).reduce((acc, c) => max(acc, containerRequests(c)), sum);
}

export function addRequests(a: PodRequests, b: PodRequests): PodRequests {
  return add(a, b);
}
