/**
 * The attempt loop's policy: given where a request stands (an immutable AttemptSession), the
 * router's latest RouteDecision and what just happened (an AttemptOutcome), decide the next
 * step: decide again, wait for headroom, try a target (or another endpoint of it), or finish.
 * Pure: endpoint health and the clock come in through LoopEnv; the gateway does the I/O.
 * See docs/decisions/0032-attempt-loop.md for the states and who retries.
 */
import type { RouteDecision } from '../decide/route-decision.js';
import type { RoutingRequest } from '../request/routing-request.js';
import type { Target } from '../targets/target.js';

/** Most targets tried per request (overflows, re-routes); waits do not count. */
export const MAX_ATTEMPTS = 16;
/** Re-routes to the same Model after a dead endpoint, when there is nowhere to overflow. */
export const MAX_MODEL_RETRIES = 2;
/** Endpoints of one Model tried within one attempt. */
export const ENDPOINT_TRIES = 2;

/** A failure the loop concludes itself (no upstream said it); the gateway renders it. */
export interface LoopError {
  readonly loopError: true;
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** The client may retry the same request shortly. */
  readonly retryable: boolean;
  /** The request field the error is about (a 404 names `model`). */
  readonly param?: string;
}

export function isLoopError(e: unknown): e is LoopError {
  return typeof e === 'object' && e !== null && (e as LoopError).loopError === true;
}

/** What the loop needs to know of a Model's endpoints (the gateway's tracker answers). */
export interface EndpointFacts {
  /** The Model has ready endpoints and every one is ejected (panic mode's condition). */
  allEjected(model: string): boolean;
  /** The Model has a ready endpoint that is not ejected. */
  hasHealthy(model: string): boolean;
  /** The Model has ready endpoints and none has the LoRA adapter loaded yet. */
  adapterLoading(model: string, adapter: string): boolean;
}

/** Created once per gateway, not per request. */
export interface LoopEnv {
  /** Milliseconds on a monotonic clock (performance.now()). */
  now(): number;
  endpoints: EndpointFacts;
}

/** Where one request stands. Never mutated: every step carries the next session. */
export interface AttemptSession {
  /** Targets tried so far. */
  readonly attempts: number;
  /** When the request began waiting for headroom (the wait is bounded from here). */
  readonly waitStartMs: number | undefined;
  /** The wait ran out: decide again without waiting. */
  readonly waitExpired: boolean;
  /** Panic mode was used (once per request). */
  readonly panicked: boolean;
  readonly modelRetries: number;
  /** Targets that failed upstream before the first byte (the router overflows past them). */
  readonly failed: readonly string[];
  /** The last target's failure: what the client gets when nothing else serves. */
  readonly lastError: unknown;
  /** The attempt under way: endpoints of its Model already tried, and the last one's failure. */
  readonly excluded: readonly string[];
  readonly endpointError: unknown;
  /** That failure was a connection error (a dead endpoint), not an answer. */
  readonly unreachable: boolean;
}

/** What happened since the last step. */
export type AttemptOutcome =
  /** The answer (or its first streamed byte) reached the client. `broken`: the endpoint failed mid-stream. */
  | { kind: 'served'; broken?: string }
  /** A Model endpoint answered 429 or 5xx before the first byte. */
  | { kind: 'endpoint-status'; endpoint: string; status: number; error: unknown }
  /** A Model endpoint could not be reached (refused, timed out, reset). */
  | { kind: 'endpoint-unreachable'; endpoint: string; error: unknown }
  /** The Model had no endpoint with headroom left to pick. */
  | { kind: 'no-endpoint' }
  /** A provider call failed before the first byte; `transient`: 429, 5xx or connection. */
  | { kind: 'provider-failed'; error: unknown; transient: boolean }
  /** The client went away. */
  | { kind: 'cancelled'; error: unknown }
  /** A wait for headroom ended: a slot freed (`woke`) or the time ran out. */
  | { kind: 'waited'; woke: boolean };

interface StepBase {
  session: AttemptSession;
}

export type Step =
  /** Ask the router again with routingFor(session). `readmit`: end the Model's ejections first. */
  | (StepBase & { kind: 'decide'; readmit?: string })
  | (StepBase & { kind: 'wait'; model: string; waitMs: number })
  /** Send to the target, skipping the endpoints in `exclude`. */
  | (StepBase & { kind: 'try'; target: Target; reason: string; exclude: readonly string[] })
  | (StepBase & { kind: 'done' })
  /** Answer the client with this error (an upstream's, or a LoopError). */
  | (StepBase & { kind: 'fail'; error: unknown });

const NONE: readonly string[] = [];

export const START: AttemptSession = {
  attempts: 0,
  waitStartMs: undefined,
  waitExpired: false,
  panicked: false,
  modelRetries: 0,
  failed: NONE,
  lastError: undefined,
  excluded: NONE,
  endpointError: undefined,
  unreachable: false,
};

/** The request the router decides on next: the base one, with the session's failures and wait. */
export function routingFor(base: RoutingRequest, s: AttemptSession): RoutingRequest {
  if (s.failed.length === 0 && !s.waitExpired) return base;
  return {
    ...base,
    ...(s.waitExpired ? { waitExpired: true } : {}),
    ...(s.failed.length > 0 ? { failedTargets: s.failed } : {}),
  };
}

/**
 * The next step. `outcome` is undefined right after a decision; otherwise it is what came of
 * the step that decision led to (a wait, or a try of its target).
 */
export function nextStep(
  s: AttemptSession,
  d: RouteDecision,
  outcome: AttemptOutcome | undefined,
  env: LoopEnv,
): Step {
  if (outcome === undefined) return afterDecision(s, d, env);
  if (d.action === 'reject') return { kind: 'fail', session: s, error: rejection(s, d) };
  if (outcome.kind === 'waited')
    return outcome.woke
      ? { kind: 'decide', session: s }
      : { kind: 'decide', session: { ...s, waitExpired: true } };
  if (d.action !== 'send') return { kind: 'decide', session: s };
  switch (outcome.kind) {
    case 'served':
      return { kind: 'done', session: s };
    case 'cancelled':
      return { kind: 'fail', session: s, error: outcome.error };
    case 'provider-failed':
      return outcome.transient
        ? attemptFailed(s, d, outcome.error, false, env)
        : { kind: 'fail', session: s, error: outcome.error };
    case 'no-endpoint':
      return attemptFailed(
        s,
        d,
        s.endpointError ??
          loopError(503, 'no_capacity', `${d.target.name} has no endpoint with headroom`),
        s.unreachable,
        env,
      );
    case 'endpoint-status':
    case 'endpoint-unreachable': {
      const unreachable = outcome.kind === 'endpoint-unreachable';
      const excluded = [...s.excluded, outcome.endpoint];
      const next = { ...s, excluded, endpointError: outcome.error, unreachable };
      // 429 and 503 say the Model is full: not another of its endpoints, overflow instead.
      const full = !unreachable && (outcome.status === 429 || outcome.status === 503);
      return !full && excluded.length < ENDPOINT_TRIES
        ? { kind: 'try', session: next, target: d.target, reason: d.reason, exclude: excluded }
        : attemptFailed(next, d, outcome.error, unreachable, env);
    }
  }
}

/**
 * Passive health: the endpoint an outcome ejects, if any (a dead one, a 5xx, a stream broken
 * mid-way; a 429 is the endpoint's own queue, not a fault). The sender applies it before it
 * releases the endpoint, so no request woken by the release picks the endpoint again.
 */
export function endpointToEject(o: AttemptOutcome): string | undefined {
  switch (o.kind) {
    case 'served':
      return o.broken;
    case 'endpoint-unreachable':
      return o.endpoint;
    case 'endpoint-status':
      return o.status === 429 ? undefined : o.endpoint;
    default:
      return undefined;
  }
}

function afterDecision(s: AttemptSession, d: RouteDecision, env: LoopEnv): Step {
  if (d.action === 'reject') return { kind: 'fail', session: s, error: rejection(s, d) };
  if (d.action === 'wait') {
    // Panic mode (as Envoy's panic threshold): the request would wait because every ready
    // endpoint of the Model is ejected, and the Model is the Route's last target. Try them
    // again rather than refuse all traffic for the cooldown after one failure: a dead pod
    // still fails fast, a success clears the ejection, a failure grows the backoff.
    const model = d.target.name;
    if (
      !s.panicked &&
      d.remaining.length === 0 &&
      d.shortage === 'no-endpoints' &&
      env.endpoints.allEjected(model)
    )
      return { kind: 'decide', session: { ...s, panicked: true }, readmit: model };
    const now = env.now();
    const start = s.waitStartMs ?? now;
    const left = d.maxWaitMs - (now - start);
    const session = start === s.waitStartMs ? s : { ...s, waitStartMs: start };
    if (left <= 0) return { kind: 'decide', session: { ...session, waitExpired: true } };
    return { kind: 'wait', session, model, waitMs: left };
  }
  const session: AttemptSession = {
    ...s,
    attempts: s.attempts + 1,
    excluded: NONE,
    endpointError: undefined,
    unreachable: false,
  };
  const t = d.target;
  // A LoRA adapter no ready replica has loaded yet: fail over as from a full Model.
  if (
    t.kind === 'model' &&
    t.adapter !== undefined &&
    env.endpoints.adapterLoading(t.name, t.adapter)
  )
    return attemptFailed(
      session,
      d,
      loopError(
        503,
        'adapter_loading',
        `LoRA adapter '${t.adapter}' of Model ${t.name} is not loaded on any ready replica yet; retry shortly`,
      ),
      false,
      env,
    );
  return { kind: 'try', session, target: t, reason: d.reason, exclude: NONE };
}

/** The target failed before the first byte: re-route to it, overflow past it, or give up. */
function attemptFailed(
  s: AttemptSession,
  d: Extract<RouteDecision, { action: 'send' }>,
  error: unknown,
  unreachable: boolean,
  env: LoopEnv,
): Step {
  const t = d.target;
  const canOverflow = d.overflowOnError && d.remaining.length > 0;
  // A dead endpoint, nowhere to overflow, and the Model still has healthy endpoints (merely
  // full when the retry was tried): route again, which waits for their headroom. Not for
  // 429/5xx answers: an overloaded Model is not hammered with retries.
  if (
    !canOverflow &&
    unreachable &&
    t.kind === 'model' &&
    s.modelRetries < MAX_MODEL_RETRIES &&
    env.endpoints.hasHealthy(t.name)
  )
    return again({ ...s, lastError: error, modelRetries: s.modelRetries + 1 });
  if (!d.overflowOnError) return { kind: 'fail', session: s, error };
  return again({ ...s, lastError: error, failed: [...s.failed, t.name] });
}

/** Decide again, unless the request has used its attempts. */
function again(s: AttemptSession): Step {
  if (s.attempts < MAX_ATTEMPTS) return { kind: 'decide', session: s };
  return {
    kind: 'fail',
    session: s,
    error: s.lastError ?? loopError(503, 'no_capacity', 'no target could serve the request'),
  };
}

/** The router refused: its reason, or the last target's failure when one failed upstream. */
function rejection(s: AttemptSession, d: Extract<RouteDecision, { action: 'reject' }>): unknown {
  const upstream = s.lastError instanceof Error || isLoopError(s.lastError);
  if (upstream && d.code !== 'privacy_no_self_hosted_capacity') return s.lastError;
  const e = loopError(d.status, d.code, d.message, false);
  return d.status === 404 ? { ...e, param: 'model' } : e;
}

function loopError(status: number, code: string, message: string, retryable = true): LoopError {
  return { loopError: true, status, code, message, retryable };
}
