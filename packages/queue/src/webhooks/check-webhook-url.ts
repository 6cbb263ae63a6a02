import {
  EgressError,
  checkEgressUrl,
  egressRefusal,
  type Cidr,
  type EgressPolicy,
} from '@bascule/providers';
import { QueueError } from '../errors/queue-error.js';

export interface WebhookUrlPolicy {
  /** Let webhooks reach loopback, private and cluster-internal hosts (tests, labs). */
  allowPrivate?: boolean;
  /** Hosts allowed even when their name looks cluster-internal (exact hostnames). */
  allowHosts?: readonly string[];
  /**
   * Address blocks allowed besides public ones (BASCULE_EGRESS_ALLOW). The only way to reach a
   * link-local or metadata address.
   */
  allow?: readonly Cidr[];
}

const INTERNAL_SUFFIXES = ['.local', '.internal', '.cluster.local', '.svc', '.localhost'];

/** The egress policy (the shared URL check of @bascule/providers) of a webhook policy. */
export function webhookEgress(policy: WebhookUrlPolicy): EgressPolicy {
  return {
    classes: policy.allowPrivate ? ['public', 'private', 'loopback'] : ['public'],
    allow: policy.allow ?? [],
  };
}

/**
 * Rejects URLs a webhook must not go to; the message names the field and the reason. Literal
 * addresses in every form are checked here (checkEgressUrl); names are checked again on every
 * connection, at the address actually connected to (deliverWebhook).
 */
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
    u = checkEgressUrl(raw, webhookEgress(policy));
  } catch (err) {
    if (!(err instanceof EgressError)) throw err;
    throw QueueError.badRequest(`${param} ${err.message}; webhooks go only to public hosts`, param);
  }
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (policy.allowPrivate || policy.allowHosts?.includes(host)) return u;
  const why = internalNameReason(host);
  if (why)
    throw QueueError.badRequest(
      `${param} points to ${why}; webhooks go only to public hosts`,
      param,
    );
  return u;
}

/** Why a host is not public (an address in any form, or an internal-looking name), or undefined. */
export function privateHostReason(host: string): string | undefined {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  const why = egressRefusal(h, webhookEgress({}));
  if (why !== 'not an IP address') return why;
  if (h === 'localhost' || h.endsWith('.localhost')) return 'a loopback host';
  return internalNameReason(h);
}

function internalNameReason(h: string): string | undefined {
  if (h.includes(':') || /^[\d.]+$/.test(h)) return undefined;
  if (!h.includes('.')) return 'a cluster-internal name (no domain)';
  if (INTERNAL_SUFFIXES.some((s) => h.endsWith(s))) return 'a cluster-internal name';
  return undefined;
}
