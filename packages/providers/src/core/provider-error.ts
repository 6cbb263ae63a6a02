/** OpenAI error body: https://platform.openai.com/docs/guides/error-codes */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface ProviderErrorOptions {
  /** HTTP status to show the client. */
  status: number;
  message: string;
  retryable: boolean;
  /** OpenAI error `type`, e.g. `invalid_request_error`. */
  type?: string;
  code?: string | null;
  param?: string | null;
  /** The status the provider returned, if it answered at all. */
  providerStatus?: number;
  /** How long the provider asked us to wait (retry-after). */
  retryAfterMs?: number;
  provider?: string;
  cause?: unknown;
}

/** The one error every provider call fails with. Messages never contain API keys. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly status: number;
  readonly retryable: boolean;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  readonly providerStatus: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly provider: string | undefined;

  constructor(opts: ProviderErrorOptions) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.status = opts.status;
    this.retryable = opts.retryable;
    this.type = opts.type ?? defaultType(opts.status);
    this.code = opts.code ?? null;
    this.param = opts.param ?? null;
    this.providerStatus = opts.providerStatus;
    this.retryAfterMs = opts.retryAfterMs;
    this.provider = opts.provider;
  }

  toOpenAIError(): OpenAIErrorBody {
    return {
      error: { message: this.message, type: this.type, param: this.param, code: this.code },
    };
  }

  /** A 400 raised before any call, naming the offending field. */
  static badRequest(message: string, param?: string, code?: string): ProviderError {
    return new ProviderError({
      status: 400,
      message,
      retryable: false,
      type: 'invalid_request_error',
      param: param ?? null,
      code: code ?? null,
    });
  }
}

function defaultType(status: number): string {
  if (status === 429) return 'rate_limit_error';
  if (status === 401 || status === 403) return 'authentication_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

export function isProviderError(err: unknown): err is ProviderError {
  return err instanceof ProviderError;
}
