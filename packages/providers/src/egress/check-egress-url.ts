import { isIP } from 'node:net';
import { egressRefusal, type EgressPolicy } from './egress-policy.js';

/** A URL the server may not call on a user's behalf; the message names the reason. */
export class EgressError extends Error {
  override readonly name = 'EgressError';
}

/**
 * The one URL check for anything called on a user's behalf (webhooks, Provider base URLs):
 * http(s) only, no credentials in the URL, and a literal address (in any form the URL parser
 * accepts: decimal, hex, IPv4-mapped IPv6...) must be allowed by `policy`. Names are checked
 * again where it matters, on every connection (guardedLookup): a check of the name alone would
 * miss DNS rebinding.
 */
export function checkEgressUrl(raw: string, policy: EgressPolicy): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new EgressError('is not a valid URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new EgressError(`must use http or https (got ${u.protocol.replace(':', '')})`);
  if (u.username || u.password) throw new EgressError('must not carry credentials');
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host)) {
    const why = egressRefusal(host, policy);
    if (why) throw new EgressError(`points to ${why}`);
  } else if (host === 'localhost' || host.endsWith('.localhost')) {
    const why = egressRefusal('127.0.0.1', policy);
    if (why) throw new EgressError(`points to ${why}`);
  }
  return u;
}
