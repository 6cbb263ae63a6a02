import type { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.js';

/** A 400 for a field the gateway cannot carry to the target: named, never silently dropped. */
export function unsupportedField(param: string, why: string): GatewayError {
  return GatewayError.badRequest(`${param}: ${why}`, param, 'unsupported_parameter');
}

/**
 * Validates a dialect's request body with its (strict) schema: the first problem becomes a 400
 * naming the field; an unknown field is refused as unsupported rather than dropped.
 */
export function parseDialectBody<T>(schema: z.ZodType<T>, body: unknown, dialect: string): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw GatewayError.badRequest(
      'the request body must be a JSON object',
      undefined,
      'invalid_body',
    );
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const at = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const param = [at, issue.keys[0]].filter(Boolean).join('.');
    return unsupported(param, dialect);
  }
  const param = at || undefined;
  throw GatewayError.badRequest(
    `${param ?? 'body'}: ${issue.message}`,
    param,
    issue.code === 'invalid_type' && issue.input === undefined
      ? 'missing_required_parameter'
      : 'invalid_value',
  );
}

function unsupported(param: string, dialect: string): never {
  throw unsupportedField(
    param,
    `not supported by the gateway's ${dialect} endpoint (see docs/api.md)`,
  );
}

/** JSON text to a value; a 400 when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw GatewayError.badRequest(
      'We could not parse the JSON body of your request: it is not valid JSON.',
      undefined,
      'invalid_json',
    );
  }
}
