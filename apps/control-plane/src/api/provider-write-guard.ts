import { isDeepStrictEqual } from 'node:util';
import type { KeyRole } from '@bascule/gateway';
import { ApiError } from './api-error.js';

/**
 * The fields of a Provider that decide where its API key is sent (and how it is presented).
 * Only an admin may set or change them: an operator who could point `baseURL` at a listener of
 * theirs, or attach another Provider's Secret, could read that key (issue 21, item 3;
 * docs/decisions/0022-admission-and-egress.md).
 */
export const KEY_DESTINATION_FIELDS = [
  'type',
  'baseURL',
  'apiKeySecretRef',
  'azure',
  'headers',
] as const;

type Spec = Record<string, unknown> | undefined;

/**
 * Throws a 403 naming the field when a non-admin's apply would create a Provider that uses a
 * Secret, or change where an existing Provider's key goes. Everything else (models, prices,
 * limits, timeouts) operators may change.
 */
export function guardProviderWrite(role: KeyRole, live: Spec | null, next: Spec): void {
  if (role === 'admin') return;
  const after = next ?? {};
  if (!live) {
    if (after.apiKeySecretRef === undefined) return;
    throw new ApiError(
      403,
      'forbidden',
      'only an admin key may create a Provider that uses an API key Secret (apiKeySecretRef)',
      '.spec.apiKeySecretRef',
    );
  }
  for (const f of KEY_DESTINATION_FIELDS)
    if (!isDeepStrictEqual(live[f], after[f]))
      throw new ApiError(
        403,
        'forbidden',
        `only an admin key may change a Provider's ${f}: it decides where the Provider's API key is sent`,
        `.spec.${f}`,
      );
}
