/**
 * From the HTTP request to what the router decides on: reads and parses the body (in the
 * client's dialect), checks the key's scope and the Route's budget, scores the prompt, scans it
 * for privacy.detect, and builds the request's state and routing context.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  describeRequest,
  inspectPrivacy,
  recordableName,
  routesUntranslatedTo,
  scoresWithLearned,
  type CapacityLookup,
  type ComplexityScorer,
  type RequestKind,
  type RoutingCatalog,
} from '@bascule/router';
import type { Route } from '@bascule/spec';
import { checkScope } from '../auth/check-scope.js';
import { checkRouteBudget } from '../budgets/route-budget-check.js';
import type { RouteCalibrator } from '../calibration/route-calibrator.js';
import { acceptDialect } from '../dialects/core/accept-dialect.js';
import type { Dialect, DialectSession } from '../dialects/core/dialect.js';
import { createCapacityLookup } from '../endpoints/capacity-view.js';
import type { EndpointStore } from '../endpoints/endpoint-store.js';
import type { EndpointTracker } from '../endpoints/endpoint-tracker.js';
import { readBody } from '../http/read-body.js';
import type { LearningHook } from '../learning/learning-hook.js';
import type { ResourceSource } from '../resources/resource-source.js';
import type { RequestTrace } from '../tracing/request-trace.js';
import { parseRequest, type ParsedRequest } from '../validate/parse-request.js';
import type { RouteContext } from './attempt-loop.js';
import type { ClientGone } from './client-gone.js';
import { cpuClockMs } from './cpu-clock.js';
import { deferredHeader, privacyHeader } from './request-headers.js';
import type { RequestMeter, MeterDeps } from './request-meter.js';
import type { RequestState } from './request-state.js';

export interface PrepareDeps extends MeterDeps {
  resources: ResourceSource;
  store: EndpointStore;
  tracker: EndpointTracker;
  /** The configured scorer (Routes with a fixed complexityThreshold). */
  scorer: ComplexityScorer;
  /** The learned scorer's shipped prior (Routes that state a share or quality level). */
  learnedScorer: ComplexityScorer;
  maxBodyBytes: number;
  learning?: LearningHook;
  /** Complexity thresholds of Routes calibrated by share (`complexity.strongShare`). */
  calibrator: RouteCalibrator;
}

export async function prepareRequest(
  kind: RequestKind,
  req: IncomingMessage,
  res: ServerResponse,
  deps: PrepareDeps,
  dialect: Dialect | undefined,
  m: RequestMeter,
  signal: ClientGone,
  trace: RequestTrace | undefined,
): Promise<{ s: RequestState; ctx: RouteContext }> {
  const privacy = privacyHeader(req);
  const text = await readBody(req, deps.maxBodyBytes);
  const { parsed, session }: { parsed: ParsedRequest; session?: DialectSession } = dialect
    ? await acceptDialect(dialect, text, req, m.principal.keyId, (model, type) =>
        routesUntranslatedTo(deps.resources.snapshot().catalog, model, type),
      )
    : { parsed: parseRequest(kind, text) };
  const model = parsed.body.model;
  const snap = deps.resources.snapshot();
  m.routeName = recordableName(snap.catalog, model);
  checkScope(m.principal, model);
  const route = snap.catalog.route(model);
  // Per namespace/name: gateways of several namespaces may share one Redis.
  const routeKey = route ? routeKeyOf(route) : '';
  const budgets = route?.spec.budgets;
  if (route && budgets) {
    const now = new Date(m.at);
    m.budgetRoute = routeKey;
    const spend = await deps.routeBudgets.spent(routeKey, now);
    if (checkRouteBudget(route.metadata.name, budgets, spend, now) === 'self-hosted-only')
      m.principal = { ...m.principal, externalForbidden: true };
  }
  const complexity = route?.spec.strategy === 'complexity';
  // A Route with learning scores with its own learned weights (the prior before any); one
  // that states a share or quality level with the learned prior (see scoresWithLearned).
  const learned = route ? deps.learning?.scorerFor(route) : undefined;
  const routeScorer =
    learned ?? (route && scoresWithLearned(route.spec) ? deps.learnedScorer : deps.scorer);
  const { request, sample } = describeRequest(parsed.body, {
    kind,
    scorer: complexity ? routeScorer : undefined,
    explainScore: complexity,
    privacyStrict: privacy === 'strict',
    deferred: deferredHeader(req),
    externalForbiddenByBudget: m.principal.externalForbidden === true,
    detectTraits: route?.spec.targets.some((t) => t.strengths?.length) ?? false,
  });
  // privacy.detect: which sensitive classes the request carries, and the redacted body.
  const privacyScan = inspectPrivacy(parsed.body, route, cpuClockMs);
  const body = parsed.body as {
    stream?: boolean | null;
    stream_options?: { include_usage?: boolean } | null;
  };
  if (privacyScan.verdict) request.privacy = privacyScan.verdict;
  // Built by assignment (no object spread per optional field): this runs on every request.
  const s: RequestState = {
    parsed,
    routing: request,
    res,
    signal,
    t0: m.t0,
    externalMs: 0,
    clientWantsUsage: body.stream_options?.include_usage === true,
    stream: kind !== 'embeddings' && body.stream === true,
    committed: false,
    status: 0,
    reason: 'rejected',
    held: { sharedWith: 1, heldMs: 0 },
  };
  // never the original text: a redacted body is serialised from the redacted object
  if (privacyScan.redacted)
    s.redacted = { kind: parsed.kind, body: privacyScan.redacted } as typeof parsed;
  if (session) s.dialect = session;
  if (route?.spec.learning && sample && kind !== 'embeddings' && m.shadowOf === undefined)
    m.learnFrom = { route, catalog: snap.catalog, sample };
  const ctx: RouteContext = {
    catalog: snap.catalog,
    capacity: capacityLookupOf(snap.catalog, deps.store, deps.tracker),
    threshold: route && complexity ? deps.calibrator.threshold(routeKey, route.spec) : undefined,
    route,
    routeKey,
    trace,
  };
  return { s, ctx };
}

/** A Route's namespace/name (its calibration and budget key), made once per Route object. */
const ROUTE_KEYS = new WeakMap<Route, string>();
function routeKeyOf(route: Route): string {
  let key = ROUTE_KEYS.get(route);
  if (key === undefined) {
    key = `${route.metadata.namespace ?? 'default'}/${route.metadata.name}`;
    ROUTE_KEYS.set(route, key);
  }
  return key;
}

/**
 * The capacity lookup of a catalog snapshot, made once per snapshot and tracker (one tracker
 * per gateway; a snapshot lives until the resources change), not per request.
 */
const LOOKUPS = new WeakMap<EndpointTracker, { catalog: RoutingCatalog; lookup: CapacityLookup }>();
function capacityLookupOf(
  catalog: RoutingCatalog,
  store: EndpointStore,
  tracker: EndpointTracker,
): CapacityLookup {
  const last = LOOKUPS.get(tracker);
  if (last?.catalog === catalog) return last.lookup;
  const lookup = createCapacityLookup(catalog, store, tracker);
  LOOKUPS.set(tracker, { catalog, lookup });
  return lookup;
}
