import { endpointToEject, type AttemptOutcome, type ModelTarget } from '@bascule/router';
import { DEFAULT_MAX_LORAS } from '@bascule/engines';
import { adapterInFlightFor } from '../balance/adapter-in-flight.js';
import { pickEndpoint, type AdapterPick, type PickInput } from '../balance/pick-endpoint.js';
import type { HashRing } from '../balance/hash-ring.js';
import type { EndpointStore } from '../endpoints/endpoint-store.js';
import type { EndpointTracker } from '../endpoints/endpoint-tracker.js';
import { DialectSseRelay, DialectSseWriter } from '../dialects/core/dialect-sse.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { EngineClient, EngineResponse } from '../upstream/engine-client.js';
import { extractUsage } from './extract-usage.js';
import { overheadNow, type Answer, type RequestState } from './request-state.js';
import { commitSse, writeSseError } from './response-writer.js';
import { SseRelay } from './relay-sse.js';
import { SpanKind, endWithError } from '../tracing/request-trace.js';
import { spliceModel } from '../validate/splice-model.js';

export interface ModelDeps {
  store: EndpointStore;
  tracker: EndpointTracker;
  engine: EngineClient;
  ring: (ids: readonly string[]) => HashRing;
  tick: () => number;
}

const PATHS = {
  chat: '/v1/chat/completions',
  completions: '/v1/completions',
  embeddings: '/v1/embeddings',
};

/** Held replica time, for metering: endpoint in-flight at start and the time it was held. */
export interface ModelUsage {
  sharedWith: number;
  heldMs: number;
}

/**
 * Sends to one endpoint of the Model (none of `exclude`) and says what happened: served, an
 * endpoint's 429/5xx before the first byte, an unreachable endpoint, or no endpoint to pick.
 * Whether to eject, try another endpoint or overflow is the attempt loop's policy (nextStep,
 * endpointToEject); the ejection is applied here, before the endpoint is released.
 */
export async function sendToModel(
  s: RequestState,
  target: ModelTarget,
  reason: string,
  exclude: readonly string[],
  deps: ModelDeps,
  held: ModelUsage,
): Promise<AttemptOutcome | Answer> {
  const { model } = target;
  const name = target.name;
  const adapter = adapterPick(target, deps);
  // Built by assignment (no object spread per optional field): this runs on every request.
  const pick: PickInput = {
    endpoints: deps.store.endpoints(name),
    tracker: deps.tracker,
    maxConcurrency: model.spec.maxConcurrency,
    loadBalancing: model.spec.loadBalancing,
    prefix:
      !adapter && model.spec.loadBalancing.strategy === 'prefix-affinity' ? prefixOf(s) : undefined,
    tick: deps.tick(),
    ring: deps.ring,
  };
  if (exclude.length > 0) pick.exclude = new Set(exclude);
  if (adapter) pick.adapter = adapter;
  const ep = pickEndpoint(pick);
  if (!ep) return NO_ENDPOINT;
  deps.tracker.acquire(name, ep.id);
  if (adapter) adapterInFlightFor(deps.tracker).acquire(ep.id, adapter.name);
  held.sharedWith = deps.tracker.inFlight(ep.id);
  const tStart = performance.now();
  try {
    const span = s.trace?.trace.child(
      'bascule.engine_request',
      { 'bascule.target': name, 'bascule.endpoint': ep.id, 'server.address': ep.url },
      s.trace.attempt,
      SpanKind.CLIENT,
    );
    let r: EngineResponse;
    try {
      r = await deps.engine.post(
        ep.url,
        PATHS[s.parsed.kind],
        upstreamBody(s, target),
        s.signal,
        span ? s.trace!.trace.headersFor(span) : undefined,
      );
    } catch (err) {
      if (span) endWithError(span, err);
      throw err;
    }
    span?.setAttribute('http.response.status_code', r.status).end();
    if (r.status >= 500 || r.status === 429) return await refused(s, r, name, ep.id, deps, tStart);
    if (s.stream && r.status === 200)
      return await relayStream(s, r, name, reason, ep.id, deps, tStart);
    const out = await r.bytes();
    s.externalMs += performance.now() - tStart;
    deps.tracker.succeeded(ep.id);
    deps.tracker.observeLatency(name, performance.now() - tStart);
    const ok = r.status === 200;
    return {
      kind: 'answer',
      status: r.status,
      text: out,
      usage: ok ? extractUsage(out) : undefined,
      render: true,
      keep: ok,
    };
  } catch (err) {
    if (s.committed) return SERVED;
    s.externalMs += performance.now() - tStart;
    if (s.signal.aborted) return { kind: 'cancelled', error: err };
    return ejectFor(deps, name, {
      kind: 'endpoint-unreachable',
      endpoint: ep.id,
      error: new GatewayError({
        status: 502,
        code: 'upstream_connection_error',
        message: `could not reach ${name} endpoint ${ep.id}: ${describe(err)}`,
        retryable: true,
        cause: err,
      }),
    });
  } finally {
    held.heldMs = performance.now() - tStart;
    deps.tracker.release(name, ep.id);
    if (adapter) adapterInFlightFor(deps.tracker).release(ep.id, adapter.name);
  }
}

const SERVED: AttemptOutcome = { kind: 'served' };

/** An endpoint's 429 or 5xx before the first byte: retryable elsewhere, the endpoint ejected. */
async function refused(
  s: RequestState,
  r: EngineResponse,
  name: string,
  endpoint: string,
  deps: ModelDeps,
  tStart: number,
): Promise<AttemptOutcome> {
  const detail = await r.text().catch(() => '');
  s.externalMs += performance.now() - tStart;
  return ejectFor(deps, name, {
    kind: 'endpoint-status',
    endpoint,
    status: r.status,
    error: new GatewayError({
      status: r.status === 429 ? 429 : 503,
      code: 'upstream_unavailable',
      message: `${name} endpoint ${endpoint} answered ${r.status}${detail ? `: ${detail.slice(0, 200)}` : ''}`,
      retryable: true,
    }),
  });
}

/**
 * A stream: waits for the first upstream bytes before committing, so a failure before them
 * can still be retried elsewhere; then relays chunk by chunk. Its own function: the
 * non-streamed path's code stays small.
 */
async function relayStream(
  s: RequestState,
  r: EngineResponse,
  name: string,
  reason: string,
  endpoint: string,
  deps: ModelDeps,
  tStart: number,
): Promise<AttemptOutcome> {
  const it = r.chunks();
  const first = await it.next();
  s.externalMs += performance.now() - tStart;
  deps.tracker.succeeded(endpoint);
  s.status = 200;
  s.committed = true;
  s.overheadMs = overheadNow(s);
  s.ttftMs = performance.now() - s.t0;
  commitSse(s.res, { target: name, reason, overheadMs: s.overheadMs });
  const relay = s.dialect
    ? new DialectSseRelay(new DialectSseWriter(s.res, s.dialect))
    : new SseRelay(s.res, !s.clientWantsUsage);
  try {
    if (!first.done) await relay.push(first.value);
    for (;;) {
      const n = await it.next();
      if (n.done) break;
      await relay.push(n.value);
    }
    await relay.end();
    s.usage = relay.usage;
    if (!s.res.writableEnded) s.res.end();
    deps.tracker.observeLatency(name, performance.now() - tStart);
    return SERVED;
  } catch (err) {
    s.usage = relay.usage;
    r.cancel(); // the rest of the engine's stream is not read: its connection goes
    if (s.signal.aborted) return SERVED;
    const message = `the upstream ${name} endpoint failed mid-stream: ${describe(err)}`;
    if (relay instanceof DialectSseRelay) relay.writer.fail(message);
    else writeSseError(s.res, message);
    return ejectFor(deps, name, { kind: 'served', broken: endpoint });
  }
}

/**
 * Passive health by the loop's rule (endpointToEject), applied here: before the endpoint is
 * released, so no request woken by the release picks it again.
 */
function ejectFor(deps: ModelDeps, model: string, o: AttemptOutcome): AttemptOutcome {
  const id = endpointToEject(o);
  if (id !== undefined) deps.tracker.eject(model, id);
  return o;
}
const NO_ENDPOINT: AttemptOutcome = { kind: 'no-endpoint' };

/** The request as the engine gets it: the served name, and usage asked for when streaming. */
function upstreamBody(s: RequestState, target: ModelTarget): string {
  // a LoRA adapter is named in "model" as vLLM and TGI expect it
  const served = target.adapter ?? target.model.spec.servedNames?.[0] ?? target.name;
  const addUsage = s.stream && !s.clientWantsUsage;
  if (s.parsed.raw !== undefined) {
    const spliced = spliceModel(s.parsed.raw, s.parsed.body.model, served, addUsage);
    if (spliced !== undefined) return spliced;
  }
  const body = s.parsed.body as unknown as Record<string, unknown>;
  const text = JSON.stringify(body.model === served ? body : { ...body, model: served });
  if (!addUsage) return text;
  // No stream_options: appended as text (an object's JSON never repeats a key, and ends in
  // "}"), which costs a fraction of serialising an object grown by one property.
  if (body.stream_options === undefined && text.length > 2)
    return `${text.slice(0, -1)},"stream_options":{"include_usage":true}}`;
  return JSON.stringify({
    ...body,
    model: served,
    stream_options: { ...(body.stream_options as object | undefined), include_usage: true },
  });
}

/** How the balancer treats a request for a LoRA adapter (replicas with it loaded, maxLoras). */
function adapterPick(target: ModelTarget, deps: ModelDeps): AdapterPick | undefined {
  if (target.adapter === undefined) return undefined;
  const loras = adapterInFlightFor(deps.tracker);
  const spec = target.model.spec;
  return {
    name: target.adapter,
    maxLoras:
      spec.engine === 'vllm'
        ? (spec.vllm?.maxLoras ?? DEFAULT_MAX_LORAS)
        : Number.POSITIVE_INFINITY,
    inFlight: (id) => loras.adapters(id),
  };
}

function prefixOf(s: RequestState): string {
  const b = s.parsed.body as {
    messages?: { content?: unknown }[];
    prompt?: unknown;
    input?: unknown;
  };
  if (b.messages) {
    let out = '';
    for (const m of b.messages) {
      if (typeof m.content === 'string') out += m.content;
      if (out.length >= 1024) break;
    }
    return out;
  }
  const p = b.prompt ?? b.input;
  return typeof p === 'string' ? p : Array.isArray(p) && typeof p[0] === 'string' ? p[0] : '';
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: string }).code;
    return code ? `${code} ${err.message}` : err.message;
  }
  return String(err);
}
