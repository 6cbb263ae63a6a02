import type { ErrorResponse } from '../../errors/to-error-response.js';

/** Anthropic's error types by status (https://docs.anthropic.com/en/api/errors). */
function typeOf(status: number): string {
  if (status === 400) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'billing_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  if (status === 504) return 'timeout_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/**
 * A gateway error in Anthropic's shape: `{type: "error", error: {type, message}}`. The status
 * is kept (503 "no capacity" becomes Anthropic's 529 overloaded); the gateway's own code and
 * field are kept in the body too, so a client can still tell a budget from a rate limit.
 */
export function anthropicError(e: ErrorResponse): { status: number; body: unknown } {
  const status = e.status === 503 ? 529 : e.status;
  const { message, code, param } = e.body.error;
  return {
    status,
    body: {
      type: 'error',
      error: {
        type: typeOf(status),
        message,
        ...(code ? { code } : {}),
        ...(param ? { param } : {}),
      },
    },
  };
}
