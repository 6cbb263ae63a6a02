import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  decideRoute,
  describeRequest,
  inspectPrivacy,
  providerCostUSD,
  quantiseScore,
  recordableName,
  UNKNOWN_NAME,
  routesUntranslatedTo,
  scoresWithLearned,
  selfHostedCostUSD,
  type ComplexityScorer,
  type PromptSample,
  type ComplexityThreshold,
  type RequestKind,
  type RoutingCatalog,
  type Target,
} from '@bascule/router';
import { DEFERRED_HEADER, PRIVACY_HEADER, SHADOW_HEADER, type Route } from '@bascule/spec';
import type { RouteCalibrator } from '../calibration/route-calibrator.js';
import { checkScope } from '../auth/check-scope.js';
import { checkRouteBudget } from '../budgets/route-budget-check.js';
import type { RouteBudgetLedger } from '../budgets/route-budget-ledger.js';
import { createCapacityLookup } from '../endpoints/capacity-view.js';
import { acceptDialect } from '../dialects/core/accept-dialect.js';
import type { Dialect, DialectSession } from '../dialects/core/dialect.js';
import { GatewayError } from '../errors/gateway-error.js';
import { readBody } from '../http/read-body.js';
import type { LearningHook } from '../learning/learning-hook.js';
import { answerText } from '../learning/answer-text.js';
import type { UsageRecord } from '../metering/usage-record.js';
import type { ResourceSource } from '../resources/resource-source.js';
import { parseRequest, type ParsedRequest } from '../validate/parse-request.js';
import { ANONYMOUS, type Authenticate, type Principal } from './principal.js';
import { overheadNow, type AttemptResult, type RequestState } from './request-state.js';
import { cpuClockMs } from './cpu-clock.js';
import { writeError } from './response-writer.js';
import { routingHeaders } from './routing-headers.js';
import { sendToModel, type ModelDeps, type ModelUsage } from './send-to-model.js';
import { sendToProvider, type ProviderDeps } from './send-to-provider.js';
import { decisionAttributes } from '../tracing/decision-attributes.js';
import {
  endWithError,
  startRequestTrace,
  SpanStatusCode,
  type RequestTrace,
  type Span,
  type Tracer,
} from '../tracing/request-trace.js';

export interface InferenceDeps extends ModelDeps, ProviderDeps {
  resources: ResourceSource;
  /** The configured scorer (Routes with a fixed complexityThreshold). */
  scorer: ComplexityScorer;
  /** The learned scorer's shipped prior (Routes that state a share or quality level). */
  learnedScorer: ComplexityScorer;
  authenticate?: Authenticate;
  maxBodyBytes: number;
  /** Every answered request, once; `prompt` only when logPrompts is set (the access log's). */
  meter: (r: UsageRecord, prompt?: string) => void;
  /** Extract the prompt text for meter (BASCULE_ACCESS_LOG_PROMPTS; off by default). */
  logPrompts?: boolean;
  /** Set only when tracing is on: with it absent no span is made (zero cost). */
  tracer?: Tracer;
  /** Closed-API spend per Route, for Routes with `budgets`. */
  routeBudgets: RouteBudgetLedger;
  learning?: LearningHook;
  /** Complexity thresholds of Routes calibrated by share (`complexity.strongShare`). */
  calibrator: RouteCalibrator;
}

/**
 * Most attempts per request (overflows, upstream failures). Waits do not count: they are bounded
 * by the Route's maxQueueWait, and a waiter is woken by every freed slot of its Model.
 */
const MAX_ROUNDS = 16;

/** Metric and usage reason of a request the router refused, by its error code. */
const REJECT_REASONS: Record<string, string> = {
  privacy_no_self_hosted_capacity: 'privacy',
  model_not_found: 'unknown-model',
  route_invalid: 'invalid-route',
  context_length_exceeded: 'context-length',
  no_eligible_target: 'no-eligible-target',
  sensitive_data_refused: 'privacy-refused',
};

/** retry-after of a 503 when no target has capacity (or privacy keeps the request in-cluster). */
const NO_CAPACITY_RETRY_AFTER_S = 5;

/**
 * POST /v1/chat/completions, /v1/completions, /v1/embeddings; and, with a `dialect`, the
 * other APIs the gateway speaks (/v1/messages, /v1/responses), as chat requests.
 */
export async function handleInference(
  kind: RequestKind,
  req: IncomingMessage,
  res: ServerResponse,
  deps: InferenceDeps,
  dialect?: Dialect,
): Promise<void> {
  const t0 = performance.now();
  const at = Date.now();
  const endpoint = pathOf(req.url ?? '');
  const tr: RequestTrace | undefined = deps.tracer
    ? startRequestTrace(deps.tracer, req, endpoint)
    : undefined;
  let answered: UsageRecord | undefined;
  const ctl = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) ctl.abort();
  });
  let principal: Principal = ANONYMOUS;
  let s: RequestState | undefined;
  let target: Target | undefined;
  let reason = 'rejected';
  const held: ModelUsage = { sharedWith: 1, heldMs: 0 };
  let routeName = '';
  /** The Route whose budget this request's closed-API cost counts against. */
  let budgetRoute: string | undefined;
  let refused = false;
  const requestId = String(res.getHeader('x-request-id') ?? '');
  /** `x-bascule-shadow: {ns}/{route}`: a shadow or judge call, metered as that Route's shadow. */
  const shadowOf = header(req, SHADOW_HEADER);
  let learnFrom: { route: Route; catalog: RoutingCatalog; sample: PromptSample } | undefined;
  let endOverflow: (() => void) | undefined;
  /** The Models the last decision overflowed past, and why (metered per Model). */
  let overflowedFrom: { model: string; reason: string }[] | undefined;
  try {
    if (deps.authenticate) principal = await authenticate(deps.authenticate, req, tr);
    const privacy = header(req, PRIVACY_HEADER);
    if (privacy !== undefined && privacy !== 'strict' && privacy !== 'standard')
      throw GatewayError.badRequest(
        `header ${PRIVACY_HEADER} must be "strict" or "standard" (got "${privacy}")`,
        PRIVACY_HEADER,
      );
    const text = await readBody(req, deps.maxBodyBytes);
    const { parsed, session }: { parsed: ParsedRequest; session?: DialectSession } = dialect
      ? await acceptDialect(dialect, text, req, principal.keyId, (m, type) =>
          routesUntranslatedTo(deps.resources.snapshot().catalog, m, type),
        )
      : { parsed: parseRequest(kind, text) };
    const model = parsed.body.model;
    const snap = deps.resources.snapshot();
    routeName = recordableName(snap.catalog, model);
    checkScope(principal, model);
    const route = snap.catalog.route(model);
    const budgets = route?.spec.budgets;
    if (route && budgets) {
      const now = new Date(at);
      // Spend is kept per namespace/name: gateways of several namespaces may share one Redis.
      budgetRoute = `${route.metadata.namespace ?? 'default'}/${route.metadata.name}`;
      const spend = await deps.routeBudgets.spent(budgetRoute, now);
      if (checkRouteBudget(route.metadata.name, budgets, spend, now) === 'self-hosted-only')
        principal = { ...principal, externalForbidden: true };
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
      externalForbiddenByBudget: principal.externalForbidden === true,
      detectTraits: route?.spec.targets.some((t) => t.strengths?.length) ?? false,
    });
    // privacy.detect: which sensitive classes the request carries, and the redacted body.
    const privacyScan = inspectPrivacy(parsed.body, route, cpuClockMs);
    // Per namespace/name, as Route budgets: gateways of several namespaces may share one Redis.
    const routeKey = route ? `${route.metadata.namespace ?? 'default'}/${route.metadata.name}` : '';
    const threshold: ComplexityThreshold | undefined =
      route && complexity ? deps.calibrator.threshold(routeKey, route.spec) : undefined;
    let decided = false;
    const body = parsed.body as {
      stream?: boolean | null;
      stream_options?: { include_usage?: boolean } | null;
    };
    s = {
      parsed,
      routing: privacyScan.verdict ? { ...request, privacy: privacyScan.verdict } : request,
      ...(privacyScan.redacted
        ? { redacted: { ...parsed, body: privacyScan.redacted } as typeof parsed }
        : {}),
      res,
      signal: ctl.signal,
      t0,
      externalMs: 0,
      clientWantsUsage: body.stream_options?.include_usage === true,
      stream: kind !== 'embeddings' && body.stream === true,
      committed: false,
      status: 0,
      ...(session ? { dialect: session } : {}),
    };
    if (route?.spec.learning && sample && kind !== 'embeddings' && shadowOf === undefined)
      learnFrom = { route, catalog: snap.catalog, sample };
    const capacity = createCapacityLookup(snap.catalog, deps.store, deps.tracker);
    const failed: string[] = [];
    let waitStart: number | undefined;
    let panicked = false;
    let modelRetries = 0;
    let lastError: unknown;
    for (let round = 0; round < MAX_ROUNDS;) {
      if (ctl.signal.aborted) return;
      const decisionSpan = tr?.child('bascule.route_decision');
      const d = decideRoute({
        catalog: snap.catalog,
        request: s.routing,
        capacity,
        ...(threshold ? { threshold } : {}),
      });
      if (decisionSpan) decisionSpan.setAttributes(decisionAttributes(d)).end();
      if (!decided) {
        decided = true;
        for (const [k, v] of Object.entries(routingHeaders(d.explanation))) res.setHeader(k, v);
        // The share window holds the requests whose tier the score decided (not a strength).
        const e = d.explanation;
        if (route && e.tier && e.complexity !== undefined && !e.strength)
          deps.calibrator.record(
            routeKey,
            route.spec,
            quantiseScore(e.complexity),
            e.tier === 'complex',
          );
      }
      if (d.action === 'reject') {
        reason = REJECT_REASONS[d.code] ?? 'no-capacity';
        throw lastError &&
          d.code !== 'privacy_no_self_hosted_capacity' &&
          lastError instanceof Error
          ? lastError
          : new GatewayError({
              status: d.status,
              code: d.code,
              message: d.message,
              param: d.status === 404 ? 'model' : null,
            });
      }
      if (d.action === 'wait') {
        // Panic mode (as Envoy's panic threshold): the request would wait because every ready
        // endpoint of the Model is ejected, and the Model is the Route's last target (nothing
        // after it to move on to). Try them again rather than refuse all traffic for the
        // cooldown after one failure: a dead pod still fails fast (2 s connect timeout), a
        // success clears the ejection, and a failure keeps growing the backoff.
        const eps = deps.store.endpoints(d.target.name);
        const last = !d.explanation.targets.some((v) => v.verdict === 'not-reached');
        if (!panicked && last && d.shortage === 'no-endpoints' && deps.tracker.allEjected(eps)) {
          panicked = true;
          for (const e of eps) if (e.ready) deps.tracker.endEjection(e.id);
          continue;
        }
        const now = performance.now();
        waitStart ??= now;
        const left = d.maxWaitMs - (now - waitStart);
        if (left <= 0) {
          s.routing = { ...s.routing, waitExpired: true };
          continue;
        }
        const woke = await deps.tracker.waitForChange(d.target.name, left, ctl.signal);
        s.externalMs += performance.now() - now;
        if (!woke) s.routing = { ...s.routing, waitExpired: true };
        continue;
      }
      round++;
      target = d.target;
      reason = d.reason;
      overflowedFrom = overflowedModels(d.explanation.targets);
      if (d.target.kind === 'provider' && !endOverflow) {
        const skipped = d.explanation.targets
          .filter(
            (v) => v.kind === 'model' && v.verdict === 'overflowed' && v.code !== 'upstream-error',
          )
          .map((v) => v.target);
        if (skipped.length > 0) endOverflow = deps.tracker.beginOverflow(skipped);
      }
      const attempt = tr?.child('bascule.upstream_attempt', {
        'bascule.target': d.target.name,
        'bascule.target.kind': d.target.kind,
        'bascule.reason': d.reason,
        'bascule.attempt': round,
      });
      if (attempt) s.trace = { trace: tr!, attempt };
      const r: AttemptResult =
        d.target.kind === 'model'
          ? await sendToModel(s, d.target, d.reason, deps, held)
          : await sendToProvider(s, d.target, d.reason, deps);
      if (attempt) {
        if (r.ok) attempt.end();
        else endWithError(attempt, r.error);
      }
      if (r.ok) return;
      if (!r.overflowable || s.committed) throw asError(r.error);
      lastError = r.error;
      const triggers = route?.spec.fallback.triggers ?? [];
      const canOverflow =
        triggers.includes('upstreamError') &&
        d.explanation.targets.some((v) => v.verdict === 'not-reached');
      // A dead endpoint (connection refused or timed out), nowhere to overflow, and the Model
      // still has healthy endpoints (merely full when the retry was tried): route again, which
      // waits for their headroom up to maxQueueWait. Not for 429/5xx answers: an overloaded
      // Model is not hammered with retries.
      if (
        !canOverflow &&
        d.target.kind === 'model' &&
        modelRetries < 2 &&
        r.error instanceof GatewayError &&
        r.error.code === 'upstream_connection_error'
      ) {
        const eps = deps.store.endpoints(d.target.name);
        if (eps.some((e) => e.ready && !deps.tracker.isEjected(e.id))) {
          modelRetries++;
          continue;
        }
      }
      if (!triggers.includes('upstreamError')) throw asError(r.error);
      failed.push(d.target.name);
      s.routing = { ...s.routing, failedTargets: [...failed] };
    }
    throw asError(
      lastError ??
        new GatewayError({
          status: 503,
          code: 'no_capacity',
          message: 'no target could serve the request',
        }),
    );
  } catch (err) {
    // Every 503 for lack of capacity says when to come back.
    if (
      err instanceof GatewayError &&
      err.status === 503 &&
      (err.code === 'no_capacity' || err.code === 'privacy_no_self_hosted_capacity') &&
      err.headers['retry-after'] === undefined
    )
      err.headers['retry-after'] = String(NO_CAPACITY_RETRY_AFTER_S);
    // A request refused for its key's limits or budget is still that key's request in usage.
    if (principal === ANONYMOUS && err instanceof GatewayError && err.keyId) {
      principal = { keyId: err.keyId };
      refused = true;
    }
    if (ctl.signal.aborted || res.headersSent) {
      // Gone before the request was read: still one metered (and logged) request.
      if (!s) meterFailure(499);
      return;
    }
    const status = writeError(
      res,
      err,
      {
        target: target?.name ?? 'none',
        reason,
        overheadMs: s ? overheadNow(s) : performance.now() - t0,
      },
      dialect,
    );
    if (s) s.status = status;
    else meterFailure(status);
  } finally {
    endOverflow?.();
    if (s) meter(s);
    if (tr) endRequestSpan(tr.span, answered);
  }

  function meterFailure(status: number): void {
    record({
      key: principal.keyId,
      route: routeName || UNKNOWN_NAME,
      target: 'none',
      targetKind: 'none',
      reason,
      status,
      promptTokens: 0,
      completionTokens: 0,
      latencyMs: performance.now() - t0,
      overheadMs: performance.now() - t0,
      costUSD: 0,
      at,
      ...(refused ? { refused } : {}),
      ...(shadowOf !== undefined ? { shadowOf } : {}),
    });
  }

  function meter(st: RequestState): void {
    const pt = st.usage?.promptTokens ?? 0;
    const ct = st.usage?.completionTokens ?? 0;
    const cost =
      target === undefined || st.status >= 400
        ? 0
        : target.kind === 'provider'
          ? providerCostUSD(target.providerModel, pt, ct)
          : selfHostedCostUSD(target.model, held.heldMs, held.sharedWith);
    if (budgetRoute !== undefined && target?.kind === 'provider' && cost > 0)
      deps.routeBudgets.add(budgetRoute, cost, new Date(at));
    if (learnFrom && target && st.status === 200 && requestId)
      deps.learning?.served({
        requestId,
        route: learnFrom.route,
        catalog: learnFrom.catalog,
        target,
        ...(st.routing.complexity !== undefined ? { score: st.routing.complexity } : {}),
        sample: learnFrom.sample,
        key: principal.keyId,
        // Sensitive content never goes to a shadow or judge call outside the cluster.
        privacyStrict: st.routing.privacyStrict === true || st.routing.privacy !== undefined,
        messages: messagesOf(st.parsed.body),
        ...(st.responseText !== undefined ? { answer: answerText(st.responseText) } : {}),
        at,
      });
    record(
      {
        key: principal.keyId,
        route: routeName,
        target: target?.name ?? 'none',
        ...(target?.kind === 'model' && target.adapter !== undefined
          ? { adapter: target.adapter }
          : {}),
        targetKind: target?.kind ?? 'none',
        reason,
        status: st.status || 499,
        promptTokens: pt,
        completionTokens: ct,
        latencyMs: performance.now() - t0,
        ...(st.ttftMs !== undefined ? { ttftMs: st.ttftMs } : {}),
        overheadMs: st.overheadMs ?? overheadNow(st),
        costUSD: cost,
        at,
        ...(shadowOf !== undefined ? { shadowOf } : {}),
        ...(st.routing.privacy ? { privacy: st.routing.privacy } : {}),
        ...(ctl.signal.aborted ? { cancelled: true } : {}),
        ...(overflowedFrom ? { overflowedFrom } : {}),
      },
      deps.logPrompts ? promptText(st.parsed.body) : undefined,
    );
  }

  function record(r: UsageRecord, prompt?: string): void {
    if (requestId) r.requestId = requestId;
    if (principal.tenant !== undefined) r.tenant = principal.tenant;
    r.endpoint = endpoint;
    answered = r;
    deps.meter(r, prompt);
  }
}

/** Models a decision passed over for lack of capacity or health, with the reason code. */
function overflowedModels(
  verdicts: readonly { target: string; kind: string; verdict: string; code?: string }[],
): { model: string; reason: string }[] | undefined {
  let out: { model: string; reason: string }[] | undefined;
  for (const v of verdicts)
    if (v.kind === 'model' && v.verdict === 'overflowed')
      (out ??= []).push({ model: v.target, reason: v.code ?? 'unknown' });
  return out;
}

/** Authentication, in its own span when tracing (the key id, never the key). */
async function authenticate(
  auth: Authenticate,
  req: IncomingMessage,
  tr: RequestTrace | undefined,
): Promise<Principal> {
  if (!tr) return auth(req);
  const span = tr.child('bascule.auth');
  try {
    const p = await auth(req);
    span.setAttribute('bascule.key_id', p.keyId);
    span.end();
    return p;
  } catch (err) {
    endWithError(span, err);
    throw err;
  }
}

/** The request span's closing attributes, from the metered record. */
function endRequestSpan(span: Span, r: UsageRecord | undefined): void {
  if (r) {
    span.setAttributes({
      'http.response.status_code': r.status,
      'bascule.route': r.route,
      'bascule.target': r.target,
      'bascule.reason': r.reason,
      'bascule.key_id': r.key,
      'bascule.tokens.input': r.promptTokens,
      'bascule.tokens.output': r.completionTokens,
      'bascule.cost_usd': r.costUSD,
    });
    if (r.requestId) span.setAttribute('bascule.request_id', r.requestId);
    if (r.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** The prompt as text (only for an access log with prompts explicitly enabled). */
function promptText(body: unknown): string {
  const b = body as { input?: unknown };
  if (b.input !== undefined && (body as { messages?: unknown }).messages === undefined)
    return typeof b.input === 'string' ? b.input : JSON.stringify(b.input);
  return messagesOf(body)
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n');
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** The request as messages (a completion prompt becomes one user message). */
function messagesOf(body: unknown): { role: string; content: unknown }[] {
  const b = body as { messages?: { role: string; content: unknown }[]; prompt?: unknown };
  if (Array.isArray(b.messages))
    return b.messages.map((m) => ({ role: m.role, content: m.content }));
  const p = Array.isArray(b.prompt)
    ? b.prompt.filter((x) => typeof x === 'string').join('\n')
    : typeof b.prompt === 'string'
      ? b.prompt
      : '';
  return [{ role: 'user', content: p }];
}

/**
 * `x-bascule-deferred: self-hosted`: queued work before its deadline (the worker sends it); it
 * only narrows where the request may go, so any caller may send it.
 */
function deferredHeader(req: IncomingMessage): boolean {
  const v = header(req, DEFERRED_HEADER);
  if (v === undefined) return false;
  if (v !== 'self-hosted')
    throw GatewayError.badRequest(
      `header ${DEFERRED_HEADER} must be "self-hosted" (got "${v}")`,
      DEFERRED_HEADER,
    );
  return true;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function asError(err: unknown): Error {
  return err instanceof Error
    ? err
    : new GatewayError({ status: 502, code: 'upstream_error', message: String(err) });
}
