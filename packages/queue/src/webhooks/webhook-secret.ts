import { createHmac } from 'node:crypto';

/** The signing secret of a tenant's webhooks. */
export type WebhookSecretSource = (tenant: string) => string | Promise<string>;

/**
 * Default: a per-tenant secret derived from the server's signing key,
 * `whsec_` + hex HMAC-SHA256(signingKey, tenant). The api role can hand it to the tenant.
 */
export function derivedWebhookSecrets(signingKey: string): WebhookSecretSource {
  return (tenant) => `whsec_${createHmac('sha256', signingKey).update(tenant).digest('hex')}`;
}
