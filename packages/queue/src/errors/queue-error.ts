/** The one error class of @bascule/queue: an HTTP status, a stable code and the field at fault. */
export class QueueError extends Error {
  readonly status: number;
  readonly code: string;
  readonly param: string | null;
  readonly retryable: boolean;
  /** Extra response headers (retry-after). */
  readonly headers: Record<string, string>;
  /** Structured detail for the error body (e.g. per-line problems of an upload). */
  details?: unknown;

  constructor(o: {
    status: number;
    code: string;
    message: string;
    param?: string | null;
    retryable?: boolean;
    headers?: Record<string, string>;
    cause?: unknown;
  }) {
    super(o.message, o.cause === undefined ? undefined : { cause: o.cause });
    this.name = 'QueueError';
    this.status = o.status;
    this.code = o.code;
    this.param = o.param ?? null;
    this.retryable = o.retryable ?? false;
    this.headers = o.headers ?? {};
  }

  static badRequest(
    message: string,
    param: string | null = null,
    code = 'invalid_request',
  ): QueueError {
    return new QueueError({ status: 400, code, message, param });
  }

  static notFound(what: string, id: string): QueueError {
    return new QueueError({ status: 404, code: 'not_found', message: `no ${what} '${id}'` });
  }
}

/** The OpenAI error body for any error: QueueErrors keep their message, others say "internal". */
export function toErrorBody(err: unknown): {
  status: number;
  body: string;
  headers?: Record<string, string>;
} {
  if (err instanceof QueueError)
    return {
      ...(Object.keys(err.headers).length > 0 ? { headers: err.headers } : {}),
      status: err.status,
      body: JSON.stringify({
        error: {
          message: err.message,
          type: typeOf(err.status),
          param: err.param,
          code: err.code,
          ...(err.details ? { details: err.details } : {}),
        },
      }),
    };
  return {
    status: 500,
    body: JSON.stringify({
      error: { message: 'internal error', type: 'server_error', param: null, code: 'internal' },
    }),
  };
}

function typeOf(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}
