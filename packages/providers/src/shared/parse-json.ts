import { ProviderError } from '../core/provider-error.js';

/** Parses an upstream JSON payload; a malformed one is a 502 (the provider's fault). */
export function parseJson<T>(text: string, provider: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new ProviderError({
      status: 502,
      retryable: false,
      type: 'api_error',
      code: 'upstream_invalid_response',
      message: `${provider} returned a response that is not valid JSON`,
      provider,
      cause: err,
    });
  }
}

/** A provider's in-stream error event (OpenAI `{error}`, Anthropic `event: error`). */
export function streamError(provider: string, payload: unknown): ProviderError {
  const err = (payload as { error?: { message?: unknown; type?: unknown } }).error;
  const message = typeof err?.message === 'string' ? err.message : 'stream failed';
  const overloaded = err?.type === 'overloaded_error' || err?.type === 'rate_limit_error';
  return new ProviderError({
    status: overloaded ? 503 : 502,
    retryable: false,
    type: 'api_error',
    code: typeof err?.type === 'string' ? err.type : 'upstream_stream_error',
    message: `${provider}: ${message}`,
    provider,
  });
}
