import type { ModelTarget } from '@bascule/router';
import { DEFAULT_MAX_LORAS } from '@bascule/engines';
import { adapterInFlightFor } from '../balance/adapter-in-flight.js';
import { pickEndpoint, type AdapterPick } from '../balance/pick-endpoint.js';
import type { HashRing } from '../balance/hash-ring.js';
import type { EndpointStore } from '../endpoints/endpoint-store.js';
import type { EndpointTracker } from '../endpoints/endpoint-tracker.js';
import { DialectSseRelay, DialectSseWriter } from '../dialects/core/dialect-sse.js';
import { renderAnswer } from '../dialects/core/render-answer.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { EngineClient } from '../upstream/engine-client.js';
import { extractUsage } from './extract-usage.js';
import { overheadNow, type AttemptResult, type RequestState } from './request-state.js';
import { commitSse, writeJsonText, writeSseError } from './response-writer.js';
import { SseRelay } from './relay-sse.js';
import { SpanKind, endWithError } from '../tracing/request-trace.js';

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
 * Sends to one of the Model's endpoints; a connection error or 5xx before the first byte
 * ejects the endpoint and retries once on another. 429/503 from every tried endpoint, or no
 * reachable endpoint, is an overflowable failure.
 */
export async function sendToModel(
  s: RequestState,
  target: ModelTarget,
  reason: string,
  deps: ModelDeps,
  held: ModelUsage,
): Promise<AttemptResult> {
  const { model } = target;
  const name = target.name;
  // a LoRA adapter is named in "model" as vLLM and TGI expect it
  const served = target.adapter ?? model.spec.servedNames?.[0] ?? name;
  const body = s.parsed.body as unknown as Record<string, unknown>;
  const upstream: Record<string, unknown> = { ...body, model: served };
  if (s.stream && !s.clientWantsUsage)
    upstream.stream_options = {
      ...(body.stream_options as object | undefined),
      include_usage: true,
    };
  const text = JSON.stringify(upstream);
  const prefix = model.spec.loadBalancing.strategy === 'prefix-affinity' ? prefixOf(s) : undefined;
  const loras = adapterInFlightFor(deps.tracker);
  const adapter: AdapterPick | undefined =
    target.adapter === undefined
      ? undefined
      : {
          name: target.adapter,
          maxLoras:
            model.spec.engine === 'vllm'
              ? (model.spec.vllm?.maxLoras ?? DEFAULT_MAX_LORAS)
              : Number.POSITIVE_INFINITY,
          inFlight: (id) => loras.adapters(id),
        };
  if (adapter) {
    const ready = deps.store.endpoints(name).filter((e) => e.ready);
    if (ready.length > 0 && ready.every((e) => e.adapters && !e.adapters.includes(adapter.name)))
      return {
        ok: false,
        overflowable: true,
        error: new GatewayError({
          status: 503,
          code: 'adapter_loading',
          message: `LoRA adapter '${adapter.name}' of Model ${name} is not loaded on any ready replica yet; retry shortly`,
          retryable: true,
        }),
      };
  }
  const exclude = new Set<string>();
  let last: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    const ep = pickEndpoint({
      endpoints: deps.store.endpoints(name),
      tracker: deps.tracker,
      maxConcurrency: model.spec.maxConcurrency,
      loadBalancing: model.spec.loadBalancing,
      prefix: adapter ? undefined : prefix,
      exclude,
      ...(adapter ? { adapter } : {}),
      tick: deps.tick(),
      ring: deps.ring,
    });
    if (!ep) break;
    deps.tracker.acquire(name, ep.id);
    if (adapter) loras.acquire(ep.id, adapter.name);
    held.sharedWith = deps.tracker.inFlight(ep.id);
    const tStart = performance.now();
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      held.heldMs = performance.now() - tStart;
      deps.tracker.release(name, ep.id);
      if (adapter) loras.release(ep.id, adapter.name);
    };
    try {
      const span = s.trace?.trace.child(
        'bascule.engine_request',
        { 'bascule.target': name, 'bascule.endpoint': ep.id, 'server.address': ep.url },
        s.trace.attempt,
        SpanKind.CLIENT,
      );
      const r = await deps.engine
        .post(
          ep.url,
          PATHS[s.parsed.kind],
          text,
          s.signal,
          span ? s.trace!.trace.headersFor(span) : undefined,
        )
        .then(
          (res) => {
            span?.setAttribute('http.response.status_code', res.status).end();
            return res;
          },
          (err: unknown) => {
            if (span) endWithError(span, err);
            throw err;
          },
        );
      if (r.status >= 500 || r.status === 429) {
        const detail = await r.body.text().catch(() => '');
        s.externalMs += performance.now() - tStart;
        release();
        if (r.status !== 429) deps.tracker.eject(name, ep.id);
        last = new GatewayError({
          status: r.status === 429 ? 429 : 503,
          code: 'upstream_unavailable',
          message: `${name} endpoint ${ep.id} answered ${r.status}${detail ? `: ${detail.slice(0, 200)}` : ''}`,
          retryable: true,
        });
        exclude.add(ep.id);
        if (r.status === 429 || r.status === 503) break;
        continue;
      }
      if (!s.stream || r.status !== 200) {
        const out = await r.body.text();
        s.externalMs += performance.now() - tStart;
        release();
        deps.tracker.succeeded(ep.id);
        deps.tracker.observeLatency(name, performance.now() - tStart);
        if (r.status === 200) {
          s.usage = extractUsage(out);
          s.responseText = out;
        }
        const answer = s.dialect
          ? await renderAnswer(s.dialect, r.status, out)
          : { status: r.status, text: out };
        s.status = answer.status;
        s.committed = true;
        s.overheadMs = overheadNow(s);
        writeJsonText(s.res, answer.status, answer.text, {
          target: name,
          reason,
          overheadMs: s.overheadMs,
        });
        return { ok: true };
      }
      // Streaming: wait for the first upstream bytes before committing, so a failure
      // before them can still be retried elsewhere.
      const it = r.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      const first = await it.next();
      s.externalMs += performance.now() - tStart;
      deps.tracker.succeeded(ep.id);
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
      } catch (err) {
        s.usage = relay.usage;
        if (!s.signal.aborted) {
          deps.tracker.eject(name, ep.id);
          const message = `the upstream ${name} endpoint failed mid-stream: ${describe(err)}`;
          if (relay instanceof DialectSseRelay) relay.writer.fail(message);
          else writeSseError(s.res, message);
        }
      } finally {
        release();
      }
      return { ok: true };
    } catch (err) {
      release();
      s.externalMs += performance.now() - tStart;
      if (s.signal.aborted) return { ok: false, error: err, overflowable: false };
      deps.tracker.eject(name, ep.id);
      exclude.add(ep.id);
      last = new GatewayError({
        status: 502,
        code: 'upstream_connection_error',
        message: `could not reach ${name} endpoint ${ep.id}: ${describe(err)}`,
        retryable: true,
        cause: err,
      });
    }
  }
  return {
    ok: false,
    overflowable: true,
    error:
      last ??
      new GatewayError({
        status: 503,
        code: 'no_capacity',
        message: `${name} has no endpoint with headroom`,
        retryable: true,
      }),
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
