/** The request headers the gateway reads (x-bascule-privacy, -deferred, -shadow), checked. */
import type { IncomingMessage } from 'node:http';
import { DEFERRED_HEADER, PRIVACY_HEADER } from '@bascule/spec';
import { GatewayError } from '../errors/gateway-error.js';

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `x-bascule-privacy: strict | standard`. */
export function privacyHeader(req: IncomingMessage): 'strict' | 'standard' | undefined {
  const privacy = header(req, PRIVACY_HEADER);
  if (privacy !== undefined && privacy !== 'strict' && privacy !== 'standard')
    throw GatewayError.badRequest(
      `header ${PRIVACY_HEADER} must be "strict" or "standard" (got "${privacy}")`,
      PRIVACY_HEADER,
    );
  return privacy;
}

/**
 * `x-bascule-deferred: self-hosted`: queued work before its deadline (the worker sends it); it
 * only narrows where the request may go, so any caller may send it.
 */
export function deferredHeader(req: IncomingMessage): boolean {
  const v = header(req, DEFERRED_HEADER);
  if (v === undefined) return false;
  if (v !== 'self-hosted')
    throw GatewayError.badRequest(
      `header ${DEFERRED_HEADER} must be "self-hosted" (got "${v}")`,
      DEFERRED_HEADER,
    );
  return true;
}

export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
