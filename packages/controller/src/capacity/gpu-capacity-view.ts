import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { GpuProfileTable } from '@bascule/engines';
import type { Informer } from '@bascule/kube';
import { computeGpuCapacity, type GpuCapacity } from './gpu-capacity.js';

/** Read access to GPU capacity for the gateway, the autoscaler and the API. */
export interface GpuCapacityView {
  /** Current free and used GPUs per type (recomputed only after nodes or pods changed). */
  snapshot(): GpuCapacity;
  /** Called after nodes or pods changed; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** A GpuCapacityView over Node and Pod informers; call `invalidate()` on their events. */
export class InformerGpuCapacityView implements GpuCapacityView {
  private cached: GpuCapacity | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly nodes: Informer<V1Node>,
    private readonly pods: Informer<V1Pod>,
    private readonly profiles?: GpuProfileTable,
  ) {}

  snapshot(): GpuCapacity {
    this.cached ??= computeGpuCapacity(this.nodes.list(), this.pods.list(), this.profiles);
    return this.cached;
  }

  invalidate(): void {
    this.cached = undefined;
    for (const l of this.listeners) l();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
