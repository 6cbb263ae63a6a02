import { isProviderError } from '@bascule/providers';
import { GatewayError, typeFor } from './gateway-error.js';

/** OpenAI's error body: https://platform.openai.com/docs/guides/error-codes */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface ErrorResponse {
  status: number;
  body: OpenAIErrorBody;
  headers: Record<string, string>;
}

/**
 * The one place errors become HTTP: GatewayError and ProviderError keep their status and
 * fields; anything else is a 500 whose message says nothing about internals.
 */
export function toErrorResponse(err: unknown): ErrorResponse {
  if (err instanceof GatewayError) {
    return {
      status: err.status,
      body: { error: { message: err.message, type: err.type, param: err.param, code: err.code } },
      headers: err.headers,
    };
  }
  if (isProviderError(err)) {
    const headers: Record<string, string> = {};
    if (err.retryAfterMs !== undefined)
      headers['retry-after'] = String(Math.max(1, Math.ceil(err.retryAfterMs / 1000)));
    return { status: err.status, body: err.toOpenAIError(), headers };
  }
  return {
    status: 500,
    body: {
      error: {
        message: 'The gateway had an internal error while processing the request.',
        type: typeFor(500),
        param: null,
        code: 'internal_error',
      },
    },
    headers: {},
  };
}
