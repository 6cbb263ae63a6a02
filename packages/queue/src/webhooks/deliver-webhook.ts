import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { UnrecoverableError } from 'bullmq';
import { checkWebhookUrl, privateHostReason, type WebhookUrlPolicy } from './check-webhook-url.js';
import { signWebhook } from './sign-webhook.js';
import type { WebhookDelivery } from './webhook-delivery.js';
import type { WebhookSecretSource } from './webhook-secret.js';

/**
 * Sends one webhook. The host is resolved and checked again at send time (a public name may
 * point at a private address). 2xx is done; 4xx other than 408/429 is final; anything else throws
 * so BullMQ retries with backoff.
 */
export async function deliverWebhook(
  d: WebhookDelivery,
  secrets: WebhookSecretSource,
  policy: WebhookUrlPolicy,
  timeoutMs = 10_000,
): Promise<number> {
  let url: URL;
  try {
    url = checkWebhookUrl(d.url, policy);
  } catch (err) {
    throw new UnrecoverableError((err as Error).message);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!policy.allowPrivate && !policy.allowHosts?.includes(host) && !isIP(host)) {
    const addrs = await lookup(host, { all: true });
    for (const a of addrs) {
      const why = privateHostReason(a.address);
      if (why) throw new UnrecoverableError(`webhook host ${host} resolves to ${why}`);
    }
  }
  const ts = Math.floor(Date.now() / 1000);
  const sig = signWebhook(await secrets(d.tenant), d.id, ts, d.body);
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
    headers: {
      'content-type': 'application/json',
      'webhook-id': d.id,
      'webhook-timestamp': String(ts),
      'webhook-signature': sig,
    },
    body: d.body,
  });
  await res.body?.cancel();
  if (res.status >= 200 && res.status < 300) return res.status;
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
    throw new UnrecoverableError(`webhook answered ${res.status}`);
  throw new Error(`webhook answered ${res.status}`);
}
