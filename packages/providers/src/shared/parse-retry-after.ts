/**
 * Milliseconds to wait, from `retry-after-ms` (OpenAI), `retry-after` (seconds or HTTP date,
 * RFC 9110 §10.2.3) or a Google RetryInfo `retryDelay` ("12s") in the error body.
 */
export function parseRetryAfter(
  header: (name: string) => string | undefined,
  body?: unknown,
  now: number = Date.now(),
): number | undefined {
  const ms = header('retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const ra = header('retry-after');
  if (ra !== undefined) {
    const t = ra.trim();
    if (/^\d+(\.\d+)?$/.test(t)) return Math.ceil(Number(t) * 1000);
    const date = Date.parse(t);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return retryDelayFromGoogleBody(body);
}

function retryDelayFromGoogleBody(body: unknown): number | undefined {
  const details = (body as { error?: { details?: unknown } } | undefined)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const d of details as { '@type'?: string; retryDelay?: string }[]) {
    if (d['@type']?.endsWith('google.rpc.RetryInfo') && typeof d.retryDelay === 'string') {
      const m = /^(\d+(?:\.\d+)?)s$/.exec(d.retryDelay);
      if (m) return Math.ceil(Number(m[1]) * 1000);
    }
  }
  return undefined;
}
