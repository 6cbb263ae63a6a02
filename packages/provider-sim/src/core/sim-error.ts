// One provider-neutral error; each dialect renders it in its provider's error shape.

export type SimErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'method_not_allowed'
  | 'too_large'
  | 'rate_limit'
  | 'server'
  | 'overloaded'
  | 'unavailable';

export interface SimErrorSpec {
  status: number;
  kind: SimErrorKind;
  message: string;
  /** The offending request field (OpenAI's `param`), when there is one. */
  param?: string;
  /** OpenAI's `code` (e.g. `invalid_api_key`, `model_not_found`). */
  code?: string;
  retryAfterSeconds?: number;
  /** Gemini's google.rpc error details (ErrorInfo, RetryInfo). */
  details?: unknown[];
}

export class ProviderSimError extends Error {
  readonly spec: SimErrorSpec;
  constructor(spec: SimErrorSpec) {
    super(spec.message);
    this.name = 'ProviderSimError';
    this.spec = spec;
  }
}

export function invalidRequest(message: string, param?: string): ProviderSimError {
  return new ProviderSimError({
    status: 400,
    kind: 'invalid_request',
    message,
    ...(param ? { param } : {}),
  });
}

/** The kind an injected 5xx status maps to. */
export function kindForServerStatus(status: number): SimErrorKind {
  if (status === 529) return 'overloaded';
  if (status === 503) return 'unavailable';
  return 'server';
}
