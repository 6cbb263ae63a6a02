import { decideScale } from '../policy/decide-scale.js';
import type { ScaleDecision } from '../policy/scale-decision.js';
import { scalingSettingsFromModel, type PolicyTuning } from '../policy/scaling-settings.js';
import {
  systemLoopClock,
  type CapacitySource,
  type DecisionObserver,
  type EventRecorder,
  type LoadSource,
  type LoopClock,
  type ModelRef,
  type ModelSource,
  type ScalableModel,
  type ScaleWriter,
  type ShortfallPublisher,
  type StateStore,
} from './autoscaler-ports.js';
import { scaleEventFor, shortfallEventFor } from './decision-event.js';

export interface AutoscalerLoopOptions {
  models: ModelSource;
  capacity: CapacitySource;
  load: LoadSource;
  scale: ScaleWriter;
  events: EventRecorder;
  state: StateStore;
  /** Sets or clears the shortfall annotation on the Model when the shortfall changes. */
  shortfall?: ShortfallPublisher;
  observer?: DecisionObserver;
  clock?: LoopClock;
  /** Only the leader acts (default: always). */
  isLeader?: () => boolean;
  /** Decision period (default 2 s). */
  intervalMs?: number;
  tuning?: Partial<PolicyTuning>;
  /** Structured log sink (one object per line); nothing when omitted. */
  log?: (entry: Record<string, unknown>) => void;
}

export interface ModelTickResult {
  ref: ModelRef;
  decision?: ScaleDecision;
  /** The stage that failed (list, load, capacity, state, scale, event), when one did. */
  error?: string;
}

/**
 * The autoscaler loop: on the leader, every interval, for each autoscaled Model, read its load
 * and free GPUs, run the policy with the stored state, write the new replica count through the
 * scale subresource, and record Events and metrics. A Model whose load cannot be read is left
 * alone that tick (never scaled down on missing data). Free GPUs taken by one Model's scale-up
 * are not offered again to the next Model in the same tick.
 */
export class AutoscalerLoop {
  private readonly clock: LoopClock;
  private readonly interval: number;
  private timer: unknown;
  private running = false;
  private inFlight: Promise<unknown> = Promise.resolve();
  private readonly lastShortfall = new Map<string, number>();

  constructor(private readonly o: AutoscalerLoopOptions) {
    this.clock = o.clock ?? systemLoopClock;
    this.interval = o.intervalMs ?? 2_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops after the tick in flight. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** One pass over every autoscaled Model (no-op when not the leader). */
  async tick(): Promise<ModelTickResult[]> {
    if (this.o.isLeader && !this.o.isLeader()) return [];
    let models: ScalableModel[];
    try {
      models = await this.o.models.list();
    } catch (err) {
      this.fail(undefined, 'list', err);
      return [];
    }
    const taken = new Map<string, number>();
    const results: ModelTickResult[] = [];
    for (const m of models) results.push(await this.scaleOne(m, taken));
    return results;
  }

  private async scaleOne(m: ScalableModel, taken: Map<string, number>): Promise<ModelTickResult> {
    const ref = m.ref;
    const settings = scalingSettingsFromModel(m.model, this.o.tuning);
    let stage = 'load';
    try {
      const load = await this.o.load.read(m);
      stage = 'capacity';
      const free = Math.max(
        0,
        (await this.o.capacity.freeGpus(settings.gpuType)) - (taken.get(settings.gpuType) ?? 0),
      );
      stage = 'state';
      const previous = await this.o.state.get(ref);
      const { decision, state } = decideScale(
        settings,
        {
          now: this.clock.now(),
          gatewayInFlight: load.gatewayInFlight,
          overflowInFlight: load.overflowInFlight,
          engines: load.engines,
          queuedJobs: load.queuedJobs,
          readyReplicas: m.readyReplicas,
          currentReplicas: m.currentReplicas,
          scheduledReplicas: m.scheduledReplicas,
          unschedulableReplicas: m.unschedulableReplicas,
          freeGpus: free,
        },
        previous,
      );
      await this.o.state.set(ref, state);
      this.o.observer?.observe(ref, decision, load);
      const added = Math.max(
        0,
        decision.desired - Math.max(m.scheduledReplicas, m.currentReplicas),
      );
      taken.set(
        settings.gpuType,
        (taken.get(settings.gpuType) ?? 0) + added * settings.gpusPerReplica,
      );
      if (decision.desired !== m.currentReplicas) {
        stage = 'scale';
        await this.o.scale.setReplicas(ref, decision.desired);
        this.o.log?.({
          msg: 'scaled',
          model: ref.name,
          namespace: ref.namespace,
          from: decision.current,
          to: decision.desired,
          reason: decision.reason,
        });
        stage = 'event';
        const ev = scaleEventFor(decision);
        if (ev) await this.o.events.record(ref, ev);
      }
      stage = 'event';
      await this.recordShortfall(ref, decision);
      return { ref, decision };
    } catch (err) {
      this.fail(ref, stage, err);
      return { ref, error: stage };
    }
  }

  /**
   * On a shortfall's start, change or end: the annotation (also on the first decision of this
   * process, so a stale one left by an earlier leader is cleared) and an Event (Warning on
   * start or change, Normal CapacityRecovered on end).
   */
  private async recordShortfall(ref: ModelRef, d: ScaleDecision): Promise<void> {
    const key = `${ref.namespace}/${ref.name}`;
    const size = d.shortfall?.replicas ?? 0;
    const seen = this.lastShortfall.has(key);
    const before = this.lastShortfall.get(key) ?? 0;
    if (seen && size === before) return;
    await this.o.shortfall?.publish(ref, d.shortfall);
    this.lastShortfall.set(key, size);
    if (size === before) return;
    const ev = shortfallEventFor(d);
    if (ev) await this.o.events.record(ref, ev);
    else {
      await this.o.events.record(ref, {
        type: 'Normal',
        reason: 'CapacityRecovered',
        message: `free GPUs now hold the ${d.wanted} replica(s) load asks for`,
      });
    }
  }

  private fail(ref: ModelRef | undefined, stage: string, err: unknown): void {
    this.o.observer?.error?.(ref, stage);
    this.o.log?.({
      msg: 'autoscaler error',
      stage,
      ...(ref ? { model: ref.name, namespace: ref.namespace } : {}),
      error: err instanceof Error ? err.message : String(err),
    });
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.tick().finally(() => this.schedule(this.interval));
    }, ms);
  }
}
