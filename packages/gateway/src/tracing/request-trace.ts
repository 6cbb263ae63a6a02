import type { IncomingMessage } from 'node:http';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';

/**
 * One gateway request's trace (docs/operations.md#tracing). Only built when tracing is on: with
 * tracing off the gateway has no Tracer, no RequestTrace exists and no span call is made.
 */
export interface RequestTrace {
  /** The request's own span (SERVER), parent of every span below. */
  readonly span: Span;
  /** Starts a child of the request span, or of `parent`. */
  child(name: string, attributes?: Attributes, parent?: Span, kind?: SpanKind): Span;
  /** W3C trace-context headers naming `span` as the parent, for an upstream call. */
  headersFor(span: Span): Record<string, string>;
}

/** The request span, continuing the client's trace when it sent a valid `traceparent`. */
export function startRequestTrace(
  tracer: Tracer,
  req: IncomingMessage,
  path: string,
): RequestTrace {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = tracer.startSpan(
    `${req.method ?? 'POST'} ${path}`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method ?? 'POST', 'url.path': path },
    },
    parent,
  );
  const ctx = trace.setSpan(parent, span);
  return {
    span,
    child(name, attributes, under, kind = SpanKind.INTERNAL) {
      const c: Context = under ? trace.setSpan(ctx, under) : ctx;
      return tracer.startSpan(name, { kind, ...(attributes ? { attributes } : {}) }, c);
    },
    headersFor(s) {
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(ctx, s), carrier);
      return carrier;
    },
  };
}

/** Ends a span with an error status naming what failed (never request or response text). */
export function endWithError(span: Span, err: unknown): void {
  const status = (err as { status?: number }).status;
  const code = (err as { code?: string }).code;
  if (status !== undefined) span.setAttribute('http.response.status_code', status);
  if (code) span.setAttribute('error.type', code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code ?? 'error' });
  span.end();
}

export { SpanKind, SpanStatusCode, type Span, type Tracer };
