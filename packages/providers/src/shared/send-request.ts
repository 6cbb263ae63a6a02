import type { CallContext } from '../core/provider-adapter.js';
import { ProviderError } from '../core/provider-error.js';
import { isTimeoutError, type HttpResponse } from '../http/http-client.js';
import { mapHttpError } from './map-http-error.js';
import { redactSecrets } from './redact-secrets.js';

export interface SendOptions {
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  method?: 'GET' | 'POST';
}

/** Sends one request; resolves with a 2xx response or throws a ProviderError. */
export async function sendRequest(ctx: CallContext, opts: SendOptions): Promise<HttpResponse> {
  const name = ctx.provider.name;
  let res: HttpResponse;
  try {
    res = await ctx.http.send({
      url: opts.url,
      method: opts.method ?? 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...ctx.provider.headers,
        ...opts.headers,
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
    });
  } catch (err) {
    throw transportError(err, ctx);
  }
  if (res.status >= 200 && res.status < 300) return res;
  let bodyText = '';
  try {
    bodyText = await res.text();
  } catch {
    // the status alone is enough
  }
  throw mapHttpError({
    provider: name,
    status: res.status,
    bodyText,
    header: (h) => res.header(h),
    secrets: [ctx.provider.apiKey],
  });
}

/** Maps a network-level failure (abort, timeout, reset) to a ProviderError. */
export function transportError(err: unknown, ctx: CallContext): ProviderError {
  if (err instanceof ProviderError) return err;
  const name = ctx.provider.name;
  if (ctx.signal?.aborted) {
    return new ProviderError({
      status: 499,
      retryable: false,
      type: 'request_aborted',
      code: 'client_closed_request',
      message: `request to ${name} was cancelled`,
      provider: name,
      cause: err,
    });
  }
  if (isTimeoutError(err)) {
    return new ProviderError({
      status: 504,
      retryable: true,
      type: 'api_error',
      code: 'upstream_timeout',
      message: `${name} did not answer within ${ctx.timeoutMs ?? 'the'} ms timeout`,
      provider: name,
      cause: err,
    });
  }
  const e = err as { code?: unknown; message?: string };
  if (typeof e.code !== 'string' || !isNetworkCode(e.code)) {
    // Not a network failure: a bug of ours must not look like (or be retried as) an outage.
    return new ProviderError({
      status: 500,
      retryable: false,
      type: 'api_error',
      code: 'internal_error',
      message: `internal error while calling ${name}`,
      provider: name,
      cause: err,
    });
  }
  const detail = redactSecrets(e.code, [ctx.provider.apiKey]);
  return new ProviderError({
    status: 502,
    retryable: true,
    type: 'api_error',
    code: 'upstream_connection_error',
    message: `could not reach ${name}: ${detail}`,
    provider: name,
    cause: err,
  });
}

/** Node and undici error codes of a failed connection or exchange. */
function isNetworkCode(code: string): boolean {
  return (
    code.startsWith('UND_ERR') ||
    [
      'ECONNRESET',
      'ECONNREFUSED',
      'EPIPE',
      'ETIMEDOUT',
      'ENOTFOUND',
      'EAI_AGAIN',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'ECONNABORTED',
    ].includes(code)
  );
}
