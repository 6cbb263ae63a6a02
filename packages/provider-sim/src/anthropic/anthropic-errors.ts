// Anthropic's error body: {"type":"error","error":{"type","message"},"request_id"}; id in request-id.
import type { ServerResponse } from 'node:http';
import { writeSse } from '../core/http-io.js';
import type { SimErrorKind, SimErrorSpec } from '../core/sim-error.js';

const TYPES: Record<SimErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  method_not_allowed: 'invalid_request_error',
  too_large: 'request_too_large',
  rate_limit: 'rate_limit_error',
  server: 'api_error',
  overloaded: 'overloaded_error',
  unavailable: 'api_error',
};

export function anthropicErrorBody(
  spec: SimErrorSpec,
  requestId?: string,
): Record<string, unknown> {
  return {
    type: 'error',
    error: { type: TYPES[spec.kind], message: spec.message },
    ...(requestId ? { request_id: requestId } : {}),
  };
}

export function writeAnthropicStreamError(res: ServerResponse, spec: SimErrorSpec): void {
  writeSse(res, JSON.stringify(anthropicErrorBody(spec)), 'error');
}
