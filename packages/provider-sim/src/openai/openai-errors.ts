// OpenAI's error body: {"error":{"message","type","param","code"}}; request id in x-request-id.
import type { ServerResponse } from 'node:http';
import { writeSse } from '../core/http-io.js';
import type { SimErrorKind, SimErrorSpec } from '../core/sim-error.js';

const TYPES: Record<SimErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'invalid_request_error',
  permission: 'invalid_request_error',
  not_found: 'invalid_request_error',
  method_not_allowed: 'invalid_request_error',
  too_large: 'invalid_request_error',
  rate_limit: 'requests',
  server: 'server_error',
  overloaded: 'server_error',
  unavailable: 'server_error',
};

export function openaiErrorBody(spec: SimErrorSpec): {
  error: { message: string; type: string; param: string | null; code: string | null };
} {
  return {
    error: {
      message: spec.message,
      type: TYPES[spec.kind],
      param: spec.param ?? null,
      code: spec.code ?? null,
    },
  };
}

export function writeOpenaiStreamError(res: ServerResponse, spec: SimErrorSpec): void {
  writeSse(res, JSON.stringify(openaiErrorBody(spec)));
}
