import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { GpuCapacityView } from '../capacity/gpu-capacity-view.js';

/** The controller's Prometheus metrics, registered on a caller's registry (no global state). */
export interface ControllerMetrics {
  reconciles: Counter<'result'>;
  errors: Counter<'reason'>;
  duration: Histogram;
  applies: Counter<'kind'>;
  statusWrites: Counter;
  leader: Gauge;
}

export interface ControllerMetricSources {
  queueDepth: () => number;
  capacity: () => GpuCapacityView | undefined;
}

export function createControllerMetrics(
  registry: Registry,
  sources: ControllerMetricSources,
): ControllerMetrics {
  const registers = [registry];
  new Gauge({
    name: 'bascule_controller_queue_depth',
    help: 'Models waiting to be reconciled.',
    registers,
    collect() {
      this.set(sources.queueDepth());
    },
  });
  const gpu = (name: string, help: string, pick: 'allocatable' | 'used' | 'free') =>
    new Gauge({
      name,
      help,
      labelNames: ['type'],
      registers,
      collect() {
        this.reset();
        const view = sources.capacity();
        if (!view) return;
        for (const c of Object.values(view.snapshot().byType)) this.set({ type: c.type }, c[pick]);
      },
    });
  gpu(
    'bascule_gpus_allocatable',
    'Allocatable GPUs on schedulable nodes, per GPU type.',
    'allocatable',
  );
  gpu('bascule_gpus_used', 'GPUs requested by running pods, per GPU type.', 'used');
  gpu('bascule_gpus_free', 'Free GPUs on schedulable nodes, per GPU type.', 'free');
  return {
    reconciles: new Counter({
      name: 'bascule_controller_reconciles_total',
      help: 'Model reconciles, by result (success, error, conflict).',
      labelNames: ['result'],
      registers,
    }),
    errors: new Counter({
      name: 'bascule_controller_reconcile_errors_total',
      help: 'Failed Model reconciles, by reason.',
      labelNames: ['reason'],
      registers,
    }),
    duration: new Histogram({
      name: 'bascule_controller_reconcile_duration_seconds',
      help: 'Time to reconcile one Model.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    applies: new Counter({
      name: 'bascule_controller_applies_total',
      help: 'Server-side applies of rendered objects, by kind.',
      labelNames: ['kind'],
      registers,
    }),
    statusWrites: new Counter({
      name: 'bascule_controller_status_writes_total',
      help: 'Model status writes (only when the status changed).',
      registers,
    }),
    leader: new Gauge({
      name: 'bascule_controller_leader',
      help: '1 while this replica holds the controller Lease.',
      registers,
    }),
  };
}
