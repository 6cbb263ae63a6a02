/** The request headers the gateway reads (x-bascule-privacy, -deferred, -shadow), checked. */
import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `x-bascule-privacy: strict | standard`. */
export function privacyHeader(req: IncomingMessage): 'strict' | 'standard' | undefined {
  const privacy = header(req, 'x-bascule-privacy');
  if (privacy !== undefined && privacy !== 'strict' && privacy !== 'standard')
    throw GatewayError.badRequest(
      `header x-bascule-privacy must be "strict" or "standard" (got "${privacy}")`,
      'x-bascule-privacy',
    );
  return privacy;
}

/**
 * `x-bascule-deferred: self-hosted`: queued work before its deadline (the worker sends it); it
 * only narrows where the request may go, so any caller may send it.
 */
export function deferredHeader(req: IncomingMessage): boolean {
  const v = header(req, 'x-bascule-deferred');
  if (v === undefined) return false;
  if (v !== 'self-hosted')
    throw GatewayError.badRequest(
      `header x-bascule-deferred must be "self-hosted" (got "${v}")`,
      'x-bascule-deferred',
    );
  return true;
}

export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
