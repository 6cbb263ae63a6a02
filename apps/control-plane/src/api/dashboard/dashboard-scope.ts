import type { KeyPrincipal } from '@bascule/gateway';
import { ApiError } from '../api-error.js';

/** A scope the series endpoint takes: `overview` or `{kind}:{name}`. */
const SCOPE = /^(overview|(key|route|target|model):[A-Za-z0-9._/-]{1,253})$/;

/**
 * Which stored scopes (keyspace minuteSeriesKey(minute, scope)) a caller may read for a requested one, or a
 * 403 naming the role needed. Pure: `tenantKeyIds` are the ids of the caller's tenant's keys.
 *
 * - `overview`: admin everything (`all`); operator its tenant's keys; user its own key.
 * - `key:{id}`: admin any key; operator its tenant's keys; user its own key only.
 * - `route:` and `target:`: traffic across tenants, admin only (as /api/v1/usage by=route).
 * - `model:`: a Model's replicas and engine load, admin and operator (who can read Models).
 */
export function storedScopes(
  scope: string,
  p: Pick<KeyPrincipal, 'role' | 'keyId'>,
  tenantKeyIds: readonly string[],
): string[] {
  if (!SCOPE.test(scope))
    throw new ApiError(
      400,
      'invalid_query',
      `scope "${scope.slice(0, 80)}" is not overview or key:, route:, target:, model: and a name`,
      '?scopes',
    );
  if (scope === 'overview') {
    if (p.role === 'admin') return ['all'];
    if (p.role === 'operator') return tenantKeyIds.map((id) => `key:${id}`);
    return [`key:${p.keyId}`];
  }
  const kind = scope.slice(0, scope.indexOf(':'));
  const name = scope.slice(kind.length + 1);
  const forbid = (needs: string) =>
    new ApiError(
      403,
      'forbidden',
      `scope ${kind}: needs ${needs}; this key's role is ${p.role}`,
      '?scopes',
    );
  if (kind === 'key') {
    if (p.role === 'admin' || name === p.keyId) return [scope];
    if (p.role === 'operator' && tenantKeyIds.includes(name)) return [scope];
    throw forbid(p.role === 'operator' ? 'a key of your tenant' : 'your own key');
  }
  if (kind === 'model') {
    if (p.role === 'admin' || p.role === 'operator') return [scope];
    throw forbid('role admin or operator');
  }
  if (p.role === 'admin') return [scope];
  throw forbid('role admin (it spans tenants)');
}

/**
 * Requests per minute now, from the current minute's count and the previous one weighted by the
 * part of the sliding minute it still covers. Pure.
 */
export function slidingRpm(previous: number, current: number, nowMs: number): number {
  const elapsed = (nowMs % 60_000) / 60_000;
  return Math.round(current + previous * (1 - elapsed));
}
