/**
 * Runs the attempt loop for one request: asks the router (decideRoute), asks the policy what
 * to do next (nextStep), and does it: waits for headroom, readmits ejected endpoints (panic mode), sends
 * to a target, and writes the whole answer a sender returns (a stream, the sender relays). All
 * the deciding is nextStep's; this file only carries it out and traces it.
 */
import {
  decideRoute,
  isLoopError,
  nextStep,
  quantiseScore,
  routingFor,
  START,
  type AttemptOutcome,
  type ComplexityThreshold,
  type CapacityLookup,
  type RouteDecision,
  type RoutingCatalog,
  type Step,
} from '@bascule/router';
import type { Route } from '@bascule/spec';
import type { RouteCalibrator } from '../calibration/route-calibrator.js';
import { GatewayError } from '../errors/gateway-error.js';
import { decisionAttributes } from '../tracing/decision-attributes.js';
import { endWithError, type RequestTrace, type Span } from '../tracing/request-trace.js';
import { loopEnvFor } from './loop-env.js';
import { overheadNow, type RequestState } from './request-state.js';
import { writeJsonText } from './response-writer.js';
import { renderAnswer } from '../dialects/core/render-answer.js';
import { routingHeaders } from './routing-headers.js';
import { sendToModel, type ModelDeps } from './send-to-model.js';
import { sendToProvider, type ProviderDeps } from './send-to-provider.js';
import { addResponseHeader } from '../http/response-headers.js';

export interface AttemptDeps extends ModelDeps, ProviderDeps {
  calibrator: RouteCalibrator;
}

/** What the router decides with, for one request. */
export interface RouteContext {
  catalog: RoutingCatalog;
  capacity: CapacityLookup;
  threshold: ComplexityThreshold | undefined;
  /** The Route the model name resolved to, and its namespace/name (calibration key). */
  route: Route | undefined;
  routeKey: string;
  trace: RequestTrace | undefined;
}

/** Metric and usage reason of a request the router refused, by its error code. */
const REJECT_REASONS: Record<string, string> = {
  privacy_no_self_hosted_capacity: 'privacy',
  model_not_found: 'unknown-model',
  route_invalid: 'invalid-route',
  context_length_exceeded: 'context-length',
  no_eligible_target: 'no-eligible-target',
  sensitive_data_refused: 'privacy-refused',
};

/**
 * Serves the request, or throws the error the client gets. Returns without an answer only
 * when the client went away between steps.
 */
export async function runAttempts(
  s: RequestState,
  ctx: RouteContext,
  deps: AttemptDeps,
): Promise<void> {
  const env = loopEnvFor(deps.store, deps.tracker);
  let d = decide(s, ctx, START);
  firstDecision(s, ctx, d, deps);
  let step = nextStep(START, d, undefined, env);
  for (;;) {
    switch (step.kind) {
      case 'done':
        return;
      case 'fail':
        if (d.action === 'reject') s.reason = REJECT_REASONS[d.code] ?? 'no-capacity';
        throw asError(step.error);
      case 'decide':
        if (step.readmit !== undefined)
          for (const e of deps.store.endpoints(step.readmit))
            if (e.ready) deps.tracker.endEjection(e.id);
        if (s.signal.aborted) return;
        d = decide(s, ctx, step.session);
        step = nextStep(step.session, d, undefined, env);
        continue;
      case 'wait': {
        const t = performance.now();
        const woke = await deps.tracker.waitForChange(
          step.model,
          step.waitMs,
          s.signal.abortSignal,
        );
        s.externalMs += performance.now() - t;
        step = nextStep(step.session, d, woke ? WOKE : TIMED_OUT, env);
        continue;
      }
      case 'try': {
        const outcome = await attempt(s, ctx, step, deps);
        const next = nextStep(step.session, d, outcome, env);
        // One span per target tried: another endpoint of the same target stays in it.
        if (s.trace && next.kind !== 'try')
          endAttemptSpan(s.trace.attempt, outcome, next.session.endpointError);
        step = next;
        continue;
      }
    }
  }
}

const WOKE: AttemptOutcome = { kind: 'waited', woke: true };
const TIMED_OUT: AttemptOutcome = { kind: 'waited', woke: false };

function decide(s: RequestState, ctx: RouteContext, session: Step['session']): RouteDecision {
  const span = ctx.trace?.child('bascule.route_decision');
  const d = decideRoute({
    catalog: ctx.catalog,
    request: routingFor(s.routing, session),
    capacity: ctx.capacity,
    ...(ctx.threshold ? { threshold: ctx.threshold } : {}),
  });
  if (span) span.setAttributes(decisionAttributes(d)).end();
  if (d.action === 'send') {
    s.target = d.target;
    s.reason = d.reason;
    s.overflowedFrom = overflowedModels(d);
  }
  return d;
}

/** The first decision says what the router saw (headers) and feeds share calibration. */
function firstDecision(s: RequestState, ctx: RouteContext, d: RouteDecision, deps: AttemptDeps) {
  const e = d.explanation;
  const h = routingHeaders(e);
  for (const k in h) addResponseHeader(s.res, k, h[k]!);
  // The share window holds the requests whose tier the score decided (not a strength).
  if (ctx.route && e.tier && e.complexity !== undefined && !e.strength)
    deps.calibrator.record(
      ctx.routeKey,
      ctx.route.spec,
      quantiseScore(e.complexity),
      e.tier === 'complex',
    );
}

/** One try of the step's target, in its own span when tracing. */
async function attempt(
  s: RequestState,
  ctx: RouteContext,
  step: Extract<Step, { kind: 'try' }>,
  deps: AttemptDeps,
): Promise<AttemptOutcome> {
  const t = step.target;
  // Overflow demand: the Models passed over for capacity (not for failing), once per request.
  if (t.kind === 'provider' && !s.endOverflow && s.overflowedFrom) {
    const skipped: string[] = [];
    for (const o of s.overflowedFrom) if (o.reason !== 'upstream-error') skipped.push(o.model);
    if (skipped.length > 0) s.endOverflow = deps.tracker.beginOverflow(skipped);
  }
  if (ctx.trace && step.exclude.length === 0)
    s.trace = {
      trace: ctx.trace,
      attempt: ctx.trace.child('bascule.upstream_attempt', {
        'bascule.target': t.name,
        'bascule.target.kind': t.kind,
        'bascule.reason': step.reason,
        'bascule.attempt': step.session.attempts,
      }),
    };
  const r =
    t.kind === 'model'
      ? await sendToModel(s, t, step.reason, step.exclude, deps, s.held)
      : await sendToProvider(s, t, step.reason, deps);
  if (r.kind !== 'answer') return r;
  if (r.usage) s.usage = r.usage;
  if (r.keep) s.responseText = r.text;
  // Rendered in the client's dialect (asynchronous); else written now, with no promise made.
  const out = s.dialect && r.render ? await renderAnswer(s.dialect, r.status, String(r.text)) : r;
  writeAnswer(s, out, t.name, step.reason);
  return SERVED;
}

const SERVED: AttemptOutcome = { kind: 'served' };

/** A whole answer as the client gets it, headers and body in one write. */
function writeAnswer(
  s: RequestState,
  out: { status: number; text: string | Buffer },
  target: string,
  reason: string,
) {
  s.status = out.status;
  s.committed = true;
  s.overheadMs = overheadNow(s);
  writeJsonText(s.res, out.status, out.text, { target, reason, overheadMs: s.overheadMs });
}

function endAttemptSpan(span: Span, r: AttemptOutcome, earlier: unknown): void {
  if (r.kind === 'served') span.end();
  else endWithError(span, 'error' in r ? r.error : (earlier ?? 'no endpoint with headroom'));
}

/** Models a decision passed over for lack of capacity or health, with the reason code. */
function overflowedModels(d: RouteDecision): { model: string; reason: string }[] | undefined {
  let out: { model: string; reason: string }[] | undefined;
  for (const v of d.explanation.targets)
    if (v.kind === 'model' && v.verdict === 'overflowed')
      (out ??= []).push({ model: v.target, reason: v.code ?? 'unknown' });
  return out;
}

/** The policy's error as the client gets it. */
export function asError(err: unknown): Error {
  if (err instanceof Error) return err;
  if (isLoopError(err))
    return new GatewayError({
      status: err.status,
      code: err.code,
      message: err.message,
      param: err.param ?? null,
      retryable: err.retryable,
    });
  return new GatewayError({ status: 502, code: 'upstream_error', message: String(err) });
}
