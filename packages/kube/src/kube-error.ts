/** The one error class of @bascule/kube: an API call that failed, with its HTTP status. */
export class KubeError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly retryable: boolean;

  constructor(message: string, options: { status: number; reason?: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'KubeError';
    this.status = options.status;
    this.reason = options.reason ?? '';
    this.retryable = isRetryableStatus(options.status);
  }
}

/** Conflicts, throttling, server errors and transport failures (status 0) are worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 409 || status === 429 || status >= 500;
}

interface StatusBody {
  message?: string;
  reason?: string;
}

function parseBody(body: unknown): StatusBody {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body };
    }
  }
  return typeof body === 'object' && body !== null ? body : {};
}

/** Normalises whatever client-node threw (ApiException, fetch errors) into a KubeError. */
export function toKubeError(err: unknown, what: string): KubeError {
  if (err instanceof KubeError) return err;
  const e = err as { code?: unknown; body?: unknown; message?: unknown };
  if (typeof e.code === 'number') {
    const body = parseBody(e.body);
    const message = body.message ?? (typeof e.message === 'string' ? e.message : 'request failed');
    return new KubeError(`${what}: ${message}`, {
      status: e.code,
      reason: body.reason ?? '',
      cause: err,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new KubeError(`${what}: ${message}`, { status: 0, reason: 'Transport', cause: err });
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeError ? err.status === 404 : (err as { code?: unknown }).code === 404;
}
