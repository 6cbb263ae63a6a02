import {
  decideScale,
  type LatencyCounters,
  scalingSettingsFromModel,
  type ScalerState,
  type ScalingInput,
} from '@bascule/autoscaler';
import { buildCatalog, decideRoute, type ModelCapacity } from '@bascule/router';
import type { LoadBalancing } from '@bascule/spec';
import { EventClock } from './event-clock.js';
import {
  isCapacityOverflow,
  type ReplayPolicy,
  type RequestOutcome,
  type ScaleEvent,
  type TimelinePoint,
} from './replay-policy.js';
import type { ReplayScenario } from './replay-scenario.js';
import { endpointPicker } from './replay-balancer.js';
import { SimReplica, type ReplicaCacheStats } from './sim-replica.js';
import { warmReplicas } from './size-fixed.js';
import type { Trace } from './trace-request.js';

export interface SimulateOptions {
  /** How the gateway picks a replica (default: the Model's spec.loadBalancing). */
  loadBalancing?: LoadBalancing;
}

export interface PolicyRun {
  policy: ReplayPolicy;
  outcomes: RequestOutcome[];
  timeline: TimelinePoint[];
  scaleEvents: ScaleEvent[];
  /** GPU-hours held by replicas over the horizon. */
  gpuHours: number;
  /** Prefix-cache queries and hits (tokens) and preemptions, summed over the replicas. */
  cache: ReplicaCacheStats;
  /** Horizon of the accounting (ms): the last arrival plus one tick. */
  horizonMs: number;
  events: number;
}

interface Waiter {
  outcome: RequestOutcome;
  timer: ReturnType<EventClock['setTimeout']>;
}

/**
 * Replays a trace against one policy in virtual time: arrivals go through the real router
 * (decideRoute) with a capacity view built from the simulated replicas, exactly as the gateway
 * builds it; self-hosted requests run on engine-sim's batch scheduler; overflow goes to a
 * closed API with a latency model; the autoscaler policy (decideScale) runs every tick.
 */
export function simulatePolicy(
  scenario: ReplayScenario,
  trace: Trace,
  policy: ReplayPolicy,
  options: SimulateOptions = {},
): PolicyRun {
  const clock = new EventClock();
  const { model, provider, route } = scenario;
  const pick = endpointPicker(options.loadBalancing ?? model.spec.loadBalancing, {
    maxConcurrency: model.spec.maxConcurrency,
    now: () => clock.now(),
  });
  const catalog = buildCatalog({ models: [model], providers: [provider], routes: [route] });
  const settings = scalingSettingsFromModel(model);
  // Each replica's latency counters, as its engine's histograms would export them.
  const counters = new Map<SimReplica, LatencyCounters>();
  const countersOf = (rep: SimReplica): LatencyCounters => {
    let c = counters.get(rep);
    if (!c) {
      c = {
        ttftCount: 0,
        ttftWithinSlo: 0,
        queueCount: 0,
        queueSecondsSum: 0,
        promptTokens: 0,
        generationTokens: 0,
      };
      counters.set(rep, c);
    }
    return c;
  };
  const per = settings.gpusPerReplica;
  const maxConc = model.spec.maxConcurrency;
  const outcomes: RequestOutcome[] = [];
  const timeline: TimelinePoint[] = [];
  const scaleEvents: ScaleEvent[] = [];
  const replicas: SimReplica[] = [];
  const waiting: Waiter[] = [];
  const hashIdsOf = new Map<RequestOutcome, readonly number[]>();
  let nextId = 0;
  let desired = 0;
  let modelInFlight = 0;
  let overflowInFlight = 0;
  let meanLatencyMs: number | undefined;
  let shortfall = false;
  let state: ScalerState | undefined;
  let arrivalsSinceTick = 0;
  const lastArrival = trace.requests.at(-1)?.at ?? 0;
  const horizonMs = lastArrival + scenario.tickMs;

  const live = () => replicas.filter((r) => r.state === 'starting' || r.state === 'ready');
  const ready = () => replicas.filter((r) => r.state === 'ready');
  const holdingGpus = () => replicas.filter((r) => r.state !== 'gone').length * per;

  const capacity = (): ModelCapacity => {
    const r = ready();
    const withHeadroom = r.filter((x) => x.inFlight < maxConc).length;
    const cap: ModelCapacity = {
      endpoints: r.length,
      withHeadroom,
      readyReplicas: r.length,
      desiredReplicas: desired,
      unschedulable: shortfall,
    };
    if (r.length > 0 && withHeadroom === 0 && meanLatencyMs !== undefined) {
      cap.expectedWaitMs = (meanLatencyMs * (waiting.length + 1)) / (r.length * maxConc);
    }
    return cap;
  };

  const setReplicas = (n: number, reason: string) => {
    if (n === desired) return;
    scaleEvents.push({ t: clock.now(), from: desired, to: n, reason });
    desired = n;
    const alive = live();
    if (n > alive.length) {
      for (let i = alive.length; i < n; i++) {
        const rep = new SimReplica(nextId++, clock.now(), scenario, clock);
        replicas.push(rep);
        clock.setTimeout(() => {
          if (rep.state !== 'starting') return;
          rep.state = 'ready';
          dispatchWaiting();
        }, scenario.coldStartMs);
      }
    } else {
      // Remove starting replicas first (newest first), then the least loaded ready ones.
      const order = [...alive].sort((a, b) =>
        a.state !== b.state
          ? a.state === 'starting'
            ? -1
            : 1
          : a.inFlight - b.inFlight || b.id - a.id,
      );
      for (const rep of order.slice(0, alive.length - n)) {
        if (rep.state === 'starting') rep.remove(clock.now());
        else rep.drain(clock.now());
      }
    }
  };

  const sendToModel = (o: RequestOutcome, reason: string): boolean => {
    const hashIds = hashIdsOf.get(o);
    const rep = pick.pick(replicas, hashIds);
    if (!rep) return false;
    hashIdsOf.delete(o);
    o.served = 'model';
    o.reason = reason;
    rep.inFlight++;
    pick.acquire(rep);
    const submittedAt = clock.now();
    const c = countersOf(rep);
    const prompt = Math.min(o.promptTokens, scenario.kvCapacityTokens - o.outputTokens);
    rep.submit({
      promptTokens: prompt,
      outputTokens: o.outputTokens,
      ...(hashIds ? { hashIds } : {}),
      onScheduled: () => {
        c.queueCount++;
        c.queueSecondsSum += (clock.now() - submittedAt) / 1000;
      },
      onToken: (count) => {
        c.generationTokens = (c.generationTokens ?? 0) + 1;
        if (count !== 1) return;
        c.promptTokens = (c.promptTokens ?? 0) + prompt;
        o.firstTokenAt = clock.now();
        c.ttftCount++;
        if (clock.now() - submittedAt <= settings.slo.ttftMs) c.ttftWithinSlo++;
      },
      onFinish: () => {
        o.finishedAt = clock.now();
        const latency = o.finishedAt - o.arrivedAt;
        meanLatencyMs =
          meanLatencyMs === undefined ? latency : meanLatencyMs * 0.95 + latency * 0.05;
        rep.inFlight--;
        pick.release(rep);
        modelInFlight--;
        if (rep.state === 'draining' && rep.inFlight === 0) rep.remove(clock.now());
        dispatchWaiting();
      },
    });
    return true;
  };

  const sendToClosedApi = (o: RequestOutcome, reason: string, overflow: boolean) => {
    const c = scenario.closedApi;
    o.served = 'closed-api';
    o.reason = reason;
    o.firstTokenAt = clock.now() + c.ttftBaseMs + c.ttftPerPromptTokenMs * o.promptTokens;
    o.finishedAt = o.firstTokenAt + Math.max(0, o.outputTokens - 1) * c.tpotMs;
    if (overflow) {
      overflowInFlight++;
      clock.at(o.finishedAt, () => overflowInFlight--);
    }
  };

  const route1 = (o: RequestOutcome, waitExpired: boolean) => {
    const d = decideRoute({
      catalog,
      request: {
        model: route.metadata.name,
        kind: 'chat',
        promptTokens: o.promptTokens,
        maxOutputTokens: o.outputTokens,
        waitExpired,
      },
      capacity: () => capacity(),
    });
    if (d.action === 'send' && d.target.kind === 'model') {
      modelInFlight++;
      if (!sendToModel(o, d.reason))
        throw new Error('replay: router chose a Model without headroom');
    } else if (d.action === 'send') {
      sendToClosedApi(o, d.reason, isCapacityOverflow(d.reason));
    } else if (d.action === 'wait') {
      modelInFlight++;
      const w: Waiter = {
        outcome: o,
        timer: clock.setTimeout(() => {
          waiting.splice(waiting.indexOf(w), 1);
          modelInFlight--;
          route1(o, true);
        }, d.maxWaitMs),
      };
      waiting.push(w);
    } else {
      o.served = 'rejected';
      o.reason = d.code;
    }
  };

  function dispatchWaiting(): void {
    while (waiting.length > 0) {
      const w = waiting[0]!;
      if (!sendToModel(w.outcome, 'priority')) return;
      waiting.shift();
      clock.clearTimeout(w.timer);
    }
  }

  // Arrivals.
  for (const req of trace.requests) {
    clock.at(req.at, () => {
      arrivalsSinceTick++;
      const o: RequestOutcome = {
        arrivedAt: clock.now(),
        promptTokens: req.promptTokens,
        outputTokens: req.outputTokens,
        served: 'rejected',
        reason: '',
      };
      outcomes.push(o);
      if (req.hashIds) hashIdsOf.set(o, req.hashIds);
      if (policy.kind === 'closed-api') sendToClosedApi(o, 'closed-api', false);
      else route1(o, false);
    });
  }

  // Initial replicas: warm at t=0.
  const start =
    policy.kind === 'fixed'
      ? policy.replicas
      : policy.kind === 'autoscaler'
        ? (policy.startReplicas ?? scenario.startReplicas ?? warmReplicas(scenario, trace))
        : 0;
  for (let i = 0; i < start; i++) {
    const rep = new SimReplica(nextId++, 0, scenario, clock);
    rep.state = 'ready';
    replicas.push(rep);
  }
  desired = start;

  // Ticks: the autoscaler (when it is the policy) and the timeline sampler.
  const tick = () => {
    if (policy.kind === 'autoscaler') {
      const r = ready();
      const held = holdingGpus();
      const input: ScalingInput = {
        now: clock.now(),
        gatewayInFlight: modelInFlight,
        overflowInFlight,
        gatewayWaiting: waiting.length,
        engines: r.map((x) => {
          const s = x.scheduler.stats();
          return {
            pod: `replica-${x.id}`,
            running: s.running,
            waiting: s.waiting,
            kvCacheUsage: s.kvUsedTokens / s.kvCapacityTokens,
            counters: { ...countersOf(x) },
          };
        }),
        queuedJobs: 0,
        readyReplicas: r.length,
        currentReplicas: desired,
        scheduledReplicas: live().length,
        freeGpus: Math.max(0, scenario.gpuBudget - held),
      };
      const res = decideScale(settings, input, state);
      state = res.state;
      shortfall = res.decision.shortfall !== undefined;
      setReplicas(res.decision.desired, res.decision.reason);
    }
    timeline.push({
      t: clock.now(),
      desired,
      ready: ready().length,
      holding: holdingGpus() / per,
      inFlight: modelInFlight,
      overflowInFlight,
      arrivalRate: arrivalsSinceTick / (scenario.tickMs / 1000),
    });
    arrivalsSinceTick = 0;
    if (clock.now() + scenario.tickMs <= horizonMs) clock.setTimeout(tick, scenario.tickMs);
  };
  clock.setTimeout(tick, 0);

  clock.runUntil(horizonMs);
  // Let requests in flight finish (bounded), without further ticks.
  clock.runUntil(horizonMs + 3_600_000);
  let gpuMs = 0;
  const cache: ReplicaCacheStats = { prefixQueries: 0, prefixHits: 0, preemptions: 0 };
  for (const r of replicas) {
    gpuMs += r.gpuMs(horizonMs) * per;
    const c = r.cacheStats();
    cache.prefixQueries += c.prefixQueries;
    cache.prefixHits += c.prefixHits;
    cache.preemptions += c.preemptions;
  }
  return {
    policy,
    outcomes,
    timeline,
    scaleEvents,
    gpuHours: gpuMs / 3_600_000,
    cache,
    horizonMs,
    events: clock.fired,
  };
}
