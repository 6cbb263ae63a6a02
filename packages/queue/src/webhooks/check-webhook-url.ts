import { isIP } from 'node:net';
import { QueueError } from '../errors/queue-error.js';

export interface WebhookUrlPolicy {
  /** Let webhooks reach loopback, link-local, private and cluster-internal hosts (tests, labs). */
  allowPrivate?: boolean;
  /** Hosts allowed even when private (exact hostnames). */
  allowHosts?: readonly string[];
}

const INTERNAL_SUFFIXES = ['.local', '.internal', '.cluster.local', '.svc', '.localhost'];

/** Rejects URLs a webhook must not go to; the message names the field and the reason. */
export function checkWebhookUrl(
  raw: unknown,
  policy: WebhookUrlPolicy,
  param = 'webhook_url',
): URL {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048)
    throw QueueError.badRequest(
      `${param} must be an http(s) URL of at most 2048 characters`,
      param,
    );
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw QueueError.badRequest(`${param} is not a valid URL`, param);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw QueueError.badRequest(
      `${param} must use http or https (got ${u.protocol.replace(':', '')})`,
      param,
    );
  if (u.username || u.password)
    throw QueueError.badRequest(`${param} must not carry credentials`, param);
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (policy.allowPrivate || policy.allowHosts?.includes(host)) return u;
  const why = privateHostReason(host);
  if (why)
    throw QueueError.badRequest(
      `${param} points to ${why}; webhooks go only to public hosts`,
      param,
    );
  return u;
}

/** Why an address or hostname is not public, or undefined when it is. */
export function privateHostReason(host: string): string | undefined {
  const h = host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return 'a loopback host';
  if (!isIP(h)) {
    if (!h.includes('.')) return 'a cluster-internal name (no domain)';
    if (INTERNAL_SUFFIXES.some((s) => h.endsWith(s))) return 'a cluster-internal name';
    return undefined;
  }
  if (isIP(h) === 4) {
    const [a, b] = h.split('.').map(Number) as [number, number];
    if (a === 127) return 'a loopback address';
    if (a === 169 && b === 254) return 'a link-local address';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168))
      return 'a private (cluster-internal) address';
    if (a === 100 && b >= 64 && b <= 127) return 'a shared (carrier-grade NAT) address';
    if (a === 0 || a >= 224) return 'a reserved address';
    return undefined;
  }
  if (h === '::1') return 'a loopback address';
  if (h === '::') return 'a reserved address';
  if (/^fe[89ab]/.test(h)) return 'a link-local address';
  if (/^f[cd]/.test(h)) return 'a private (cluster-internal) address';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped?.[1]) return privateHostReason(mapped[1]);
  return undefined;
}
