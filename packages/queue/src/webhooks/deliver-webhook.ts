import { UnrecoverableError } from 'bullmq';
import { EgressError, createHttpClient, type HttpClient, type Resolve } from '@bascule/providers';
import { checkWebhookUrl, webhookEgress, type WebhookUrlPolicy } from './check-webhook-url.js';
import { signWebhook } from './sign-webhook.js';
import type { WebhookDelivery } from './webhook-delivery.js';
import type { WebhookSecretSource } from './webhook-secret.js';

/**
 * The HTTP client of webhook deliveries under one policy: every connection resolves the host
 * itself and connects only to an allowed address (guardedLookup: no DNS rebinding between the
 * check and the connection). Redirects are never followed (a 3xx is a failed delivery), so a
 * redirect cannot lead a webhook anywhere the check did not see.
 */
export function createWebhookClient(policy: WebhookUrlPolicy, resolve?: Resolve): HttpClient {
  return createHttpClient({
    connections: 16,
    egress: { policy: webhookEgress(policy), ...(resolve ? { resolve } : {}) },
  });
}

/**
 * Sends one webhook. The URL is checked again at send time and the connection at connect time.
 * 2xx is done; 4xx other than 408/429 and a refused address are final; anything else throws so
 * BullMQ retries with backoff.
 */
export async function deliverWebhook(
  d: WebhookDelivery,
  secrets: WebhookSecretSource,
  policy: WebhookUrlPolicy,
  client: HttpClient,
  timeoutMs = 10_000,
): Promise<number> {
  let url: URL;
  try {
    url = checkWebhookUrl(d.url, policy);
  } catch (err) {
    throw new UnrecoverableError((err as Error).message);
  }
  const ts = Math.floor(Date.now() / 1000);
  const sig = signWebhook(await secrets(d.tenant), d.id, ts, d.body);
  let status: number;
  try {
    const res = await client.send({
      url: url.toString(),
      method: 'POST',
      timeoutMs,
      headers: {
        'content-type': 'application/json',
        'webhook-id': d.id,
        'webhook-timestamp': String(ts),
        'webhook-signature': sig,
      },
      body: d.body,
    });
    status = res.status;
    res.cancel();
  } catch (err) {
    if (err instanceof EgressError || (err as { code?: string }).code === 'EGRESS_REFUSED')
      throw new UnrecoverableError(`webhook refused: ${(err as Error).message}`);
    throw err;
  }
  if (status >= 200 && status < 300) return status;
  if (status >= 400 && status < 500 && status !== 408 && status !== 429)
    throw new UnrecoverableError(`webhook answered ${status}`);
  throw new Error(`webhook answered ${status}`);
}
