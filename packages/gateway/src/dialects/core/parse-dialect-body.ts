import type { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.js';
import { validateBody } from '../../validate/parse-request.js';

/** A 400 for a field the gateway cannot carry to the target: named, never silently dropped. */
export function unsupportedField(param: string, why: string): GatewayError {
  return GatewayError.badRequest(`${param}: ${why}`, param, 'unsupported_parameter');
}

/**
 * Validates a dialect's request body with its (strict) schema, as any request body: the first
 * problem becomes a 400 naming the field, and an unknown field is refused as unsupported rather
 * than dropped.
 */
export function parseDialectBody<T>(schema: z.ZodType<T>, body: unknown, dialect: string): T {
  return validateBody(schema, body, (issue, at) => {
    if (issue.code !== 'unrecognized_keys') return;
    throw unsupportedField(
      [at, issue.keys[0]].filter(Boolean).join('.'),
      `not supported by the gateway's ${dialect} endpoint (see docs/api.md)`,
    );
  });
}
