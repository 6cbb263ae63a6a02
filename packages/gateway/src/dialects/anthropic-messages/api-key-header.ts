import type { IncomingMessage } from 'node:http';

/**
 * Anthropic clients send their key in `x-api-key`; the gateway's one admission path reads
 * `Authorization: Bearer`. The key is moved there (when Authorization is absent) so the same
 * admission (keys, scopes, limits, budgets) applies unchanged.
 */
export function apiKeyAsBearer(req: IncomingMessage): void {
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && key.length > 0 && req.headers.authorization === undefined)
    req.headers.authorization = `Bearer ${key}`;
}
