export interface GatewayErrorOptions {
  status: number;
  message: string;
  /** OpenAI error type: invalid_request_error, authentication_error, rate_limit_error, api_error... */
  type?: string;
  code?: string | null;
  param?: string | null;
  retryable?: boolean;
  /** Extra response headers (retry-after). */
  headers?: Record<string, string>;
  /** The API key a refused request belongs to (rate limit, budget), so usage counts it there. */
  keyId?: string;
  cause?: unknown;
}

/** The gateway's one error class; mapped to OpenAI's error body by toErrorResponse. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  readonly retryable: boolean;
  readonly headers: Record<string, string>;
  readonly keyId: string | undefined;

  constructor(opts: GatewayErrorOptions) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.status = opts.status;
    this.type = opts.type ?? typeFor(opts.status);
    this.code = opts.code ?? null;
    this.param = opts.param ?? null;
    this.retryable = opts.retryable ?? false;
    this.headers = opts.headers ?? {};
    this.keyId = opts.keyId;
  }

  static badRequest(message: string, param?: string, code?: string): GatewayError {
    return new GatewayError({ status: 400, message, param: param ?? null, code: code ?? null });
  }
}

export function typeFor(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'invalid_request_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 503) return 'service_unavailable';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}
