// Gemini's (google.rpc.Status) error body: {"error":{"code","message","status","details"?}}.
import type { ServerResponse } from 'node:http';
import { writeSse } from '../core/http-io.js';
import type { SimErrorKind, SimErrorSpec } from '../core/sim-error.js';

const STATUSES: Record<SimErrorKind, string> = {
  invalid_request: 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  permission: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  method_not_allowed: 'UNIMPLEMENTED',
  too_large: 'INVALID_ARGUMENT',
  rate_limit: 'RESOURCE_EXHAUSTED',
  server: 'INTERNAL',
  overloaded: 'UNAVAILABLE',
  unavailable: 'UNAVAILABLE',
};

export function geminiErrorBody(spec: SimErrorSpec): { error: Record<string, unknown> } {
  const details = [...(spec.details ?? [])];
  if (spec.retryAfterSeconds !== undefined) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: `${spec.retryAfterSeconds}s`,
    });
  }
  return {
    error: {
      code: spec.status,
      message: spec.message,
      status: STATUSES[spec.kind],
      ...(details.length ? { details } : {}),
    },
  };
}

export function writeGeminiStreamError(res: ServerResponse, spec: SimErrorSpec): void {
  writeSse(res, JSON.stringify(geminiErrorBody(spec)), undefined, '\r\n\r\n');
}
