import { parseDuration, type Fallback, type FallbackTrigger, type Route } from '@bascule/spec';
import { assessCapacity, type CapacityLookup } from '../capacity/model-capacity.js';
import type { RoutingCatalog } from '../catalog/routing-catalog.js';
import { capabilityFilter, contextFilter } from '../filters/capability-filter.js';
import { privacyFilter } from '../filters/privacy-filter.js';
import { applyFilters, type Dropped, type TargetFilter } from '../filters/target-filter.js';
import type { ComplexityThreshold } from '../calibration/complexity-threshold.js';
import type { RoutingRequest } from '../request/routing-request.js';
import { preferStrengths, type StrengthDecision } from '../strengths/prefer-strengths.js';
import { STRATEGIES } from '../strategies/strategies.js';
import type {
  Ranking,
  RoutingStrategy,
  ScoredTarget,
  StrategyContext,
} from '../strategies/routing-strategy.js';
import { resolveTargets } from '../targets/resolve-targets.js';
import type { Target } from '../targets/target.js';
import type { Explanation, RouteDecision, TargetVerdict } from './route-decision.js';

/** Filters in the order they run: privacy first, so nothing later can undo it. */
export const DEFAULT_FILTERS: readonly TargetFilter[] = [
  privacyFilter,
  capabilityFilter,
  contextFilter,
];

/** Fallback used for a Model or provider/model addressed directly (no Route). */
const NONE: readonly string[] = [];

const DIRECT_FALLBACK: Fallback = { triggers: [], maxQueueWait: '2s' };

export interface DecideInput {
  catalog: RoutingCatalog;
  request: RoutingRequest;
  capacity: CapacityLookup;
  /** Override the strategy table (tests, experiments). */
  strategies?: Readonly<Record<string, RoutingStrategy>>;
  /** The Route's complexity threshold in force (calibrated by the gateway); default: its spec's. */
  threshold?: ComplexityThreshold;
}

/**
 * The routing policy: resolve, filter (privacy, capability, context), rank by the Route's
 * strategy, then walk the ranking taking the first target with capacity; shortages overflow
 * to the next target when the Route's fallback triggers allow, wait up to maxQueueWait, or
 * fail closed. Pure: the same input gives the same decision.
 */
export function decideRoute(input: DecideInput): RouteDecision {
  const { catalog, request } = input;
  const resolution = resolveTargets(catalog, request.model);
  if (resolution.kind === 'unknown') {
    return {
      action: 'reject',
      status: resolution.status ?? 404,
      code: resolution.code ?? 'model_not_found',
      message: resolution.message,
      explanation: { model: request.model, resolvedAs: 'unknown', targets: [] },
    };
  }
  const route = resolution.kind === 'route' ? resolution.route : undefined;
  const candidates = resolution.targets;
  // Built by assignment (no object spread per optional field): this runs on every request.
  const explanation: Explanation = {
    model: request.model,
    resolvedAs: resolution.kind,
    targets:
      resolution.kind === 'route' && resolution.unresolved.length > 0
        ? resolution.unresolved.map((u) => ({
            target: u.name,
            kind: 'unknown' as const,
            verdict: 'unresolved' as const,
            code: 'unresolved',
            message: u.reason,
          }))
        : [],
  };
  if (route) {
    explanation.route = route.metadata.name;
    explanation.strategy = route.spec.strategy;
  }
  if (request.complexity !== undefined) explanation.complexity = request.complexity;
  if (request.features && request.features.length > 0) explanation.features = request.features;
  if (request.privacy) explanation.privacy = request.privacy;
  if (request.traits && route?.spec.targets.some((t) => t.strengths?.length))
    explanation.detected = request.traits;
  if (request.privacy?.action === 'refuse')
    return {
      action: 'reject',
      status: 400,
      code: 'sensitive_data_refused',
      message: `the request carries ${request.privacy.classes.join(', ')}, which Route ${route?.metadata.name ?? request.model} refuses (privacy.detect action refuse); nothing was sent`,
      explanation,
    };
  const filtered = applyFilters(resolution.targets, DEFAULT_FILTERS, { request, route });
  const strategy = (input.strategies ?? STRATEGIES)[route?.spec.strategy ?? 'priority'];
  if (!strategy) throw new Error(`unknown strategy ${route?.spec.strategy}`);
  const ctx: StrategyContext = { request, route };
  if (input.threshold) ctx.threshold = input.threshold;
  // Strengths before difficulty: targets whose declared strengths match come first.
  const ranking = rankTargets(strategy, filtered.kept, ctx);
  const fallback = route?.spec.fallback ?? DIRECT_FALLBACK;
  // One object for what the walk below and its helpers read (module functions, not closures
  // made on every call: this runs on every request).
  const w: Walk = {
    request,
    route,
    resolvedAs: resolution.kind,
    candidates,
    filtered,
    ranking,
    verdicts: explanation.targets,
    overflowed: [],
    explanation,
    tooLong: undefined,
    triggers: fallback.triggers,
  };
  for (const d of filtered.dropped) w.verdicts.push(dropVerdict(w, d));
  if (ranking.complexity) {
    explanation.threshold = ranking.complexity.threshold;
    explanation.tier = ranking.complexity.tier;
  }
  if (ranking.strength) explanation.strength = ranking.strength;
  for (const d of ranking.dropped) w.verdicts.push(dropVerdict(w, d));

  const maxQueueWaitMs = parseDuration(fallback.maxQueueWait);
  const triggers = w.triggers;
  const tooLong = (w.tooLong = preferredButTooLong(w, strategy, ctx));
  if (tooLong && !triggers.includes('contextLength')) {
    return {
      action: 'reject',
      status: 400,
      code: 'context_length_exceeded',
      message: `${tooLong.message}, and the Route's fallback.triggers do not include contextLength, so the request does not move to another target`,
      explanation,
    };
  }
  const failed: readonly string[] = request.failedTargets ?? NONE;
  const {
    ranking: { ranked },
    overflowed,
  } = w;

  for (let i = 0; i < ranked.length; i++) {
    const { target } = ranked[i]!;
    let laterExists = false;
    for (let j = i + 1; j < ranked.length && !laterExists; j++)
      laterExists = !failed.includes(ranked[j]!.target.name);
    if (failed.includes(target.name)) {
      overflowed.push(
        verdict(
          ranked[i]!,
          'overflowed',
          'upstream-error',
          'failed upstream before the first byte (429, 503 or connection error)',
        ),
      );
      continue;
    }
    if (target.kind === 'provider') return chosen(w, i);
    const a = assessCapacity(input.capacity(target.name), maxQueueWaitMs);
    if (a.ok) return chosen(w, i);
    const mayOverflow = laterExists && a.triggers.some((t) => triggers.includes(t));
    if (mayOverflow && !a.expectedWithinWait) {
      overflowed.push(verdict(ranked[i]!, 'overflowed', a.reason, a.message));
      continue;
    }
    if (!request.waitExpired && maxQueueWaitMs > 0) {
      finish(
        w,
        verdict(
          ranked[i]!,
          'waiting',
          a.reason,
          `${a.message}; waiting up to ${fallback.maxQueueWait}`,
        ),
        i + 1,
      );
      overflowed.length = 0;
      return {
        action: 'wait',
        target,
        shortage: a.reason,
        maxWaitMs: maxQueueWaitMs,
        remaining: namesAfter(ranked, i),
        explanation,
      };
    }
    if (laterExists && (mayOverflow || triggers.includes('queueWait'))) {
      overflowed.push(
        verdict(
          ranked[i]!,
          'overflowed',
          a.reason,
          `${a.message}; waited ${fallback.maxQueueWait}`,
        ),
      );
      continue;
    }
    overflowed.push(verdict(ranked[i]!, 'overflowed', a.reason, a.message));
    const rejected = rejectNoCapacity(w, a.reason);
    finish(w, undefined, i + 1);
    return rejected;
  }
  const rejected = rejectNoCapacity(w, undefined);
  finish(w, undefined, ranked.length);
  return rejected;
}

/** What one decision has worked out, read by the helpers below. */
interface Walk {
  request: RoutingRequest;
  route: Route | undefined;
  resolvedAs: 'route' | 'model' | 'provider';
  /** Every target the name resolved to, before filters. */
  candidates: readonly Target[];
  filtered: { kept: Target[]; dropped: Dropped[] };
  ranking: Ranking & { strength?: StrengthDecision };
  /** The explanation's verdicts, in the order they are told. */
  verdicts: TargetVerdict[];
  /** Targets passed over so far (told before the one the walk stops at). */
  overflowed: TargetVerdict[];
  explanation: Explanation;
  /** The preferred target, dropped for context length (see preferredButTooLong). */
  tooLong: Dropped | undefined;
  triggers: readonly FallbackTrigger[];
}

function rankTargets(
  strategy: RoutingStrategy,
  targets: readonly Target[],
  ctx: StrategyContext,
): Ranking & { strength?: StrengthDecision } {
  return preferStrengths(targets, strategy.rank(targets, ctx), ctx.request.traits);
}

/** Tells the targets passed over, then `stop` (if any), then those from `from` on. */
function finish(w: Walk, stop: TargetVerdict | undefined, from: number): void {
  for (const v of w.overflowed) w.verdicts.push(v);
  if (stop) w.verdicts.push(stop);
  for (let j = from; j < w.ranking.ranked.length; j++)
    w.verdicts.push(notReached(w.ranking.ranked[j]!));
}

/** Send to the i-th ranked target. */
function chosen(w: Walk, i: number): RouteDecision {
  const s = w.ranking.ranked[i]!;
  const reason = reasonFor(w);
  finish(
    w,
    withAdapter(s, {
      target: s.target.name,
      kind: s.target.kind,
      verdict: 'chosen',
      message: s.note,
      score: s.score,
    }),
    i + 1,
  );
  return {
    action: 'send',
    target: s.target,
    reason,
    remaining: namesAfter(w.ranking.ranked, i),
    overflowOnError: w.triggers.includes('upstreamError'),
    explanation: w.explanation,
  };
}

function dropVerdict(w: Walk, d: Dropped): TargetVerdict {
  return {
    target: d.target,
    kind: w.candidates.find((t) => t.name === d.target)?.kind ?? 'unknown',
    verdict: 'dropped',
    code: d.code,
    message: d.message,
  };
}

/**
 * The target the strategy would have ranked first had it held the request, when that target
 * was dropped for context length (the contextLength trigger decides whether to move on).
 */
function preferredButTooLong(
  w: Walk,
  strategy: RoutingStrategy,
  ctx: StrategyContext,
): Dropped | undefined {
  const { filtered } = w;
  if (filtered.dropped.length === 0) return undefined;
  const dropped = filtered.dropped.filter((d) => d.code === 'context-length');
  if (!w.route || dropped.length === 0) return undefined;
  const names = new Set([...filtered.kept.map((t) => t.name), ...dropped.map((d) => d.target)]);
  const all = w.candidates.filter((t) => names.has(t.name));
  const first = rankTargets(strategy, all, ctx).ranked[0];
  return dropped.find((d) => d.target === first?.target.name);
}

function namesAfter(ranked: readonly ScoredTarget[], i: number): readonly string[] {
  return i + 1 < ranked.length ? ranked.slice(i + 1).map((s) => s.target.name) : NONE;
}

/** x-bascule-route-reason of a send. */
function reasonFor(w: Walk): string {
  if (w.overflowed.length > 0) return `overflow:${w.overflowed[0]!.code}`;
  if (w.tooLong) return 'overflow:context-length';
  if (w.filtered.dropped.some((d) => d.code === 'privacy')) return 'privacy';
  if (w.filtered.dropped.some((d) => d.code === 'deferred')) return 'deferred';
  if (w.resolvedAs !== 'route') return 'direct';
  const s = w.ranking.strength;
  if (s && w.ranking.ranked[0]?.target.name === s.target) return `strength:${s.strength}`;
  return w.route!.spec.strategy;
}

/** No target can take the request now; `last` is the shortage of the last one tried. */
function rejectNoCapacity(w: Walk, last: string | undefined): RouteDecision {
  const { request, route, overflowed } = w;
  const { ranked } = w.ranking;
  const all = [...w.filtered.dropped, ...w.ranking.dropped];
  const privacy =
    request.privacyStrict === true ||
    route?.spec.allowExternal === false ||
    all.some((d) => d.code === 'privacy');
  // Only a spent budget kept the request in the cluster: say so, not "privacy".
  const budget = !privacy && all.some((d) => d.code === 'budget');
  const deferred = !privacy && all.some((d) => d.code === 'deferred');
  const why = [...overflowed, ...all.map((d) => dropVerdict(w, d))]
    .map((v) => `${v.target}: ${v.message}`)
    .join('; ');
  // Nothing could ever serve this request as sent (features, length): the client's error.
  const unfit = ranked.length === 0 && last === undefined && !privacy && !budget && !deferred;
  return {
    action: 'reject',
    status: unfit && all.length > 0 ? 400 : 503,
    code: privacy
      ? 'privacy_no_self_hosted_capacity'
      : ranked.length === 0
        ? 'no_eligible_target'
        : 'no_capacity',
    message: privacy
      ? `no self-hosted target can serve this request and privacy keeps it in the cluster (failing closed): ${why || 'no self-hosted target'}`
      : budget
        ? `no self-hosted target can serve this request now, and the closed-API budget is spent (onExceeded: self-hosted-only): ${why}`
        : deferred
          ? `no self-hosted target can serve this queued request now (it waits for self-hosted capacity until its deadline): ${why}`
          : `no target can serve this request: ${why || 'the Route has no usable target'}`,
    explanation: w.explanation,
  };
}

function verdict(
  s: ScoredTarget,
  v: TargetVerdict['verdict'],
  code: string,
  message: string,
): TargetVerdict {
  return withAdapter(s, {
    target: s.target.name,
    kind: s.target.kind,
    verdict: v,
    code,
    message,
    score: s.score,
  });
}

function notReached(s: ScoredTarget): TargetVerdict {
  return withAdapter(s, {
    target: s.target.name,
    kind: s.target.kind,
    verdict: 'not-reached',
    message: s.note,
    score: s.score,
  });
}

/** A verdict naming the LoRA adapter its target is, if it is one (set in place: no spread). */
function withAdapter(s: ScoredTarget, v: TargetVerdict): TargetVerdict {
  if (s.target.kind === 'model' && s.target.adapter !== undefined) v.adapter = s.target.adapter;
  return v;
}
