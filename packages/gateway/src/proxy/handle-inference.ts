import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestKind } from '@bascule/router';
import { SHADOW_HEADER } from '@bascule/spec';
import type { Dialect } from '../dialects/core/dialect.js';
import { GatewayError } from '../errors/gateway-error.js';
import { authenticateTraced, endRequestSpan } from '../tracing/request-spans.js';
import { startRequestTrace, type Tracer } from '../tracing/request-trace.js';
import { runAttempts, type AttemptDeps } from './attempt-loop.js';
import { prepareRequest, type PrepareDeps } from './prepare-request.js';
import { ClientGone } from './client-gone.js';
import { ANONYMOUS, type Authenticate } from './principal.js';
import { header, pathOf } from './request-headers.js';
import { RequestMeter } from './request-meter.js';
import { overheadNow, type RequestState } from './request-state.js';
import { writeError } from './response-writer.js';
import { responseHeader } from '../http/response-headers.js';

export interface InferenceDeps extends PrepareDeps, AttemptDeps {
  authenticate?: Authenticate;
  /** Set only when tracing is on: with it absent no span is made (zero cost). */
  tracer?: Tracer;
}

/** retry-after of a 503 when no target has capacity (or privacy keeps the request in-cluster). */
const NO_CAPACITY_RETRY_AFTER_S = 5;

/**
 * POST /v1/chat/completions, /v1/completions, /v1/embeddings; and, with a `dialect`, the
 * other APIs the gateway speaks (/v1/messages, /v1/responses), as chat requests. Parses, asks
 * the attempt loop (runAttempts), writes the error when nothing served, and meters.
 */
export async function handleInference(
  kind: RequestKind,
  req: IncomingMessage,
  res: ServerResponse,
  deps: InferenceDeps,
  dialect?: Dialect,
): Promise<void> {
  const t0 = performance.now();
  const endpoint = pathOf(req.url ?? '');
  const tr = deps.tracer ? startRequestTrace(deps.tracer, req, endpoint) : undefined;
  const requestId = responseHeader(res, 'x-request-id') ?? '';
  const shadowOf = header(req, SHADOW_HEADER);
  const m = new RequestMeter(deps, endpoint, requestId, shadowOf, t0, Date.now());
  const gone = new ClientGone();
  res.on('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  let s: RequestState | undefined;
  try {
    if (deps.authenticate) m.principal = await authenticateTraced(deps.authenticate, req, tr);
    const p = await prepareRequest(kind, req, res, deps, dialect, m, gone, tr);
    s = p.s;
    await runAttempts(s, p.ctx, deps);
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
    if (m.principal === ANONYMOUS && err instanceof GatewayError && err.keyId) {
      m.principal = { keyId: err.keyId };
      m.refused = true;
    }
    if (gone.aborted || res.headersSent) {
      // Gone before the request was read: still one metered (and logged) request.
      if (!s) m.failure(499);
      return;
    }
    const status = writeError(
      res,
      err,
      {
        target: s?.target?.name ?? 'none',
        reason: s?.reason ?? 'rejected',
        overheadMs: s ? overheadNow(s) : performance.now() - t0,
      },
      dialect,
    );
    if (s) s.status = status;
    else m.failure(status);
  } finally {
    s?.endOverflow?.();
    if (s) m.request(s, gone.aborted);
    if (tr) endRequestSpan(tr.span, m.answered);
  }
}
