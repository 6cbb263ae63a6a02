import { Counter, Gauge, Registry } from 'prom-client';
import type { DecisionObserver, ModelRef, ObservedLoad } from '../loop/autoscaler-ports.js';
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
  readonly kvCache: Gauge<'namespace' | 'model' | 'stat'>;
  readonly engineRequests: Gauge<'namespace' | 'model' | 'state'>;
  readonly queuedJobs: Gauge<'namespace' | 'model'>;

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
    // The engines' own figures as the autoscaler last scraped them, per Model (bounded labels:
    // no pod label, pods come and go).
    this.kvCache = new Gauge({
      name: 'bascule_engine_kv_cache_usage_ratio',
      help: "KV-cache use of a Model's ready replicas (0..1), stat = mean or max.",
      labelNames: ['namespace', 'model', 'stat'],
      registers: r,
    });
    this.engineRequests = new Gauge({
      name: 'bascule_engine_requests',
      help: "Requests in a Model's engines, state = running or waiting (the engines' queue).",
      labelNames: ['namespace', 'model', 'state'],
      registers: r,
    });
    this.queuedJobs = new Gauge({
      name: 'bascule_autoscaler_queued_jobs',
      help: 'Queued jobs and batch lines for the Model, counted as demand.',
      labelNames,
      registers: r,
    });
    this.errors = new Counter({
      name: 'bascule_autoscaler_errors_total',
      help: 'Failed steps by stage.',
      labelNames: ['stage'],
      registers: r,
    });
  }

  observe(ref: ModelRef, d: ScaleDecision, seen?: ObservedLoad): void {
    const l = { namespace: ref.namespace, model: ref.name };
    if (seen) this.observeLoad(l, seen);
    this.desired.set(l, d.desired);
    this.current.set(l, d.current);
    this.load.set(l, d.load);
    this.panic.set(l, d.panic ? 1 : 0);
    this.shortfall.set(l, d.shortfall?.replicas ?? 0);
    this.decisions.inc({ ...l, reason: d.reason });
  }

  private observeLoad(l: { namespace: string; model: string }, seen: ObservedLoad): void {
    const kv = seen.engines.flatMap((e) => (e.kvCacheUsage === undefined ? [] : [e.kvCacheUsage]));
    if (kv.length > 0) {
      this.kvCache.set({ ...l, stat: 'mean' }, kv.reduce((a, b) => a + b, 0) / kv.length);
      this.kvCache.set({ ...l, stat: 'max' }, Math.max(...kv));
    } else {
      this.kvCache.remove({ ...l, stat: 'mean' });
      this.kvCache.remove({ ...l, stat: 'max' });
    }
    let running = 0;
    let waiting = 0;
    for (const e of seen.engines) {
      running += e.running;
      waiting += e.waiting;
    }
    this.engineRequests.set({ ...l, state: 'running' }, running);
    this.engineRequests.set({ ...l, state: 'waiting' }, waiting);
    this.queuedJobs.set(l, seen.queuedJobs);
  }

  error(_ref: ModelRef | undefined, stage: string): void {
    this.errors.inc({ stage });
  }
}
