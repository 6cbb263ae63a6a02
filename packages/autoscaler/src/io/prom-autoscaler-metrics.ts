import { Counter, Gauge, Registry } from 'prom-client';
import type { DecisionObserver, ModelRef } from '../loop/autoscaler-ports.js';
import type { ScaleDecision } from '../policy/scale-decision.js';

/** Prometheus metrics of the autoscaler's decisions. */
export class PromAutoscalerMetrics implements DecisionObserver {
  readonly desired: Gauge<'namespace' | 'model'>;
  readonly current: Gauge<'namespace' | 'model'>;
  readonly load: Gauge<'namespace' | 'model'>;
  readonly panic: Gauge<'namespace' | 'model'>;
  readonly shortfall: Gauge<'namespace' | 'model'>;
  readonly decisions: Counter<'namespace' | 'model' | 'reason'>;
  readonly errors: Counter<'stage'>;

  constructor(readonly registry: Registry = new Registry()) {
    const labelNames = ['namespace', 'model'] as const;
    const r = [registry];
    this.desired = new Gauge({
      name: 'bascule_autoscaler_desired_replicas',
      help: 'Replicas the autoscaler last asked for.',
      labelNames,
      registers: r,
    });
    this.current = new Gauge({
      name: 'bascule_autoscaler_current_replicas',
      help: 'spec.replicas before the last decision.',
      labelNames,
      registers: r,
    });
    this.load = new Gauge({
      name: 'bascule_autoscaler_load',
      help: 'Observed load in in-flight requests (gateways, engines, overflow, queued jobs).',
      labelNames,
      registers: r,
    });
    this.panic = new Gauge({
      name: 'bascule_autoscaler_panic',
      help: '1 while the Model is in panic mode.',
      labelNames,
      registers: r,
    });
    this.shortfall = new Gauge({
      name: 'bascule_autoscaler_capacity_shortfall_replicas',
      help: 'Replicas wanted that free GPUs cannot hold.',
      labelNames,
      registers: r,
    });
    this.decisions = new Counter({
      name: 'bascule_autoscaler_decisions_total',
      help: 'Decisions by reason.',
      labelNames: ['namespace', 'model', 'reason'],
      registers: r,
    });
    this.errors = new Counter({
      name: 'bascule_autoscaler_errors_total',
      help: 'Failed steps by stage.',
      labelNames: ['stage'],
      registers: r,
    });
  }

  observe(ref: ModelRef, d: ScaleDecision): void {
    const l = { namespace: ref.namespace, model: ref.name };
    this.desired.set(l, d.desired);
    this.current.set(l, d.current);
    this.load.set(l, d.load);
    this.panic.set(l, d.panic ? 1 : 0);
    this.shortfall.set(l, d.shortfall?.replicas ?? 0);
    this.decisions.inc({ ...l, reason: d.reason });
  }

  error(_ref: ModelRef | undefined, stage: string): void {
    this.errors.inc({ stage });
  }
}
