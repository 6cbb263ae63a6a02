import type { CapacityLookup, ModelCapacity } from '../capacity/model-capacity.js';
import type { RoutingCatalog } from '../catalog/routing-catalog.js';
import type { ComplexityThreshold } from '../calibration/complexity-threshold.js';
import type { ComplexityScorer } from '../complexity/complexity-scorer.js';
import { createDefaultComplexityScorer } from '../complexity/default-complexity-scorer.js';
import { inspectPrivacy } from '../privacy/inspect-privacy.js';
import { describeRequest, type RequestBodyLike } from '../request/describe-request.js';
import type { RequestKind } from '../request/routing-request.js';
import { decideRoute } from './decide-route.js';
import type { RouteDecision } from './route-decision.js';

/**
 * Capacity as the Models' status says, for callers without a gateway's live in-flight counts
 * (`bascule route explain`, the api role): ready endpoints all count as having headroom.
 */
export function statusCapacityLookup(catalog: RoutingCatalog): CapacityLookup {
  return (name): ModelCapacity => {
    const m = catalog.model(name);
    const status = m?.status;
    const endpoints = (status?.endpoints ?? []).filter((e) => e.ready).length;
    return {
      endpoints,
      withHeadroom: endpoints,
      readyReplicas: status?.replicas?.ready ?? endpoints,
      desiredReplicas: status?.replicas?.desired ?? m?.spec.replicas ?? 0,
      unschedulable:
        status?.conditions?.some((c) => c.type === 'CapacityAvailable' && c.status === 'False') ??
        false,
    };
  };
}

export interface ExplainInput {
  catalog: RoutingCatalog;
  /** An OpenAI request body (or just `{ model, messages }` built from a prompt). */
  body: RequestBodyLike;
  kind?: RequestKind;
  /** As the header `x-bascule-privacy: strict` would. */
  privacyStrict?: boolean;
  /** Defaults to the Models' status (statusCapacityLookup). */
  capacity?: CapacityLookup;
  scorer?: ComplexityScorer;
  /** The threshold in force (a calibrated Route's, from its shared window); default: the spec's. */
  threshold?: ComplexityThreshold;
}

let shared: ComplexityScorer | undefined;
/** The default scorer, built once (loading the artefact is the only non-trivial cost). */
function defaultScorer(): ComplexityScorer {
  return (shared ??= createDefaultComplexityScorer());
}

/** The routing decision for a sample request, without sending it: what `route explain` shows. */
export function explainRoute(input: ExplainInput): RouteDecision {
  const route = input.catalog.route(input.body.model);
  const { request } = describeRequest(input.body, {
    kind: input.kind ?? 'chat',
    scorer: input.scorer ?? defaultScorer(),
    privacyStrict: input.privacyStrict === true,
    detectTraits: route?.spec.targets.some((t) => t.strengths?.length) ?? false,
    explainScore: true,
  });
  const { verdict } = inspectPrivacy(input.body, route, () => performance.now());
  return decideRoute({
    catalog: input.catalog,
    request: verdict ? { ...request, privacy: verdict } : request,
    capacity: input.capacity ?? statusCapacityLookup(input.catalog),
    ...(input.threshold ? { threshold: input.threshold } : {}),
  });
}
