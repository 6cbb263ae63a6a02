/** The request's own spans: authentication, and the request span's closing attributes. */
import type { IncomingMessage } from 'node:http';
import type { UsageRecord } from '../metering/usage-record.js';
import type { Authenticate, Principal } from '../proxy/principal.js';
import { endWithError, SpanStatusCode, type RequestTrace, type Span } from './request-trace.js';

/** Authentication, in its own span when tracing (the key id, never the key). */
export async function authenticateTraced(
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
export function endRequestSpan(span: Span, r: UsageRecord | undefined): void {
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
