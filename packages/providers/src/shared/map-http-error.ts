import { ProviderError } from '../core/provider-error.js';
import { parseRetryAfter } from './parse-retry-after.js';
import { redactSecrets } from './redact-secrets.js';

export interface UpstreamErrorInput {
  provider: string;
  status: number;
  bodyText: string;
  header: (name: string) => string | undefined;
  secrets: (string | undefined)[];
  now?: number;
}

/**
 * Maps a provider's error response to the error the client sees. All three wire formats put
 * the message in `error.message` (OpenAI, Anthropic `{type:"error",error:{...}}`, Google).
 * Upstream auth failures are our configuration's fault, not the client's: they become 502.
 */
export function mapHttpError(input: UpstreamErrorInput): ProviderError {
  const body = tryParse(input.bodyText);
  const rawMessage =
    extractMessage(body) ?? (input.bodyText.slice(0, 500) || `HTTP ${input.status}`);
  const message = redactSecrets(rawMessage, input.secrets);
  const { status } = input;
  const base = { provider: input.provider, providerStatus: status };
  const prefixed = `${input.provider}: ${message}`;
  if (status === 429) {
    return new ProviderError({
      ...base,
      status: 429,
      retryable: true,
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
      message: prefixed,
      retryAfterMs: parseRetryAfter(input.header, body, input.now),
    });
  }
  if (status === 401 || status === 403) {
    return new ProviderError({
      ...base,
      status: 502,
      retryable: false,
      type: 'upstream_error',
      code: 'upstream_authentication_failed',
      message: `${input.provider} rejected the configured credentials (HTTP ${status}): ${message}`,
    });
  }
  if (status === 408) {
    return new ProviderError({ ...base, status: 504, retryable: true, message: prefixed });
  }
  if (status >= 500 || status === 529) {
    const clientStatus = status === 503 || status === 529 ? 503 : status === 504 ? 504 : 502;
    return new ProviderError({
      ...base,
      status: clientStatus,
      retryable: true,
      type: 'api_error',
      message: prefixed,
      retryAfterMs: parseRetryAfter(input.header, body, input.now),
    });
  }
  return new ProviderError({
    ...base,
    status,
    retryable: false,
    type: 'invalid_request_error',
    code: extractCode(body),
    message: prefixed,
  });
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function extractMessage(body: unknown): string | undefined {
  if (Array.isArray(body)) return extractMessage(body[0]);
  const err = (body as { error?: unknown } | undefined)?.error;
  if (typeof err === 'string') return err;
  const msg = (err as { message?: unknown } | undefined)?.message;
  return typeof msg === 'string' ? msg : undefined;
}

function extractCode(body: unknown): string | null {
  const err = (body as { error?: { code?: unknown; type?: unknown; status?: unknown } } | undefined)
    ?.error;
  const code = err?.code ?? err?.status ?? err?.type;
  return typeof code === 'string' ? code : null;
}
