import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signature: `v1,` + base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`.
 * Receivers check it and reject timestamps older than a few minutes (replays).
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** Verifies a signature header (constant-time) and the timestamp's age. */
export function verifyWebhook(o: {
  secret: string;
  id: string;
  timestamp: number;
  body: string;
  signature: string;
  nowSeconds?: number;
  toleranceSeconds?: number;
}): boolean {
  const now = o.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - o.timestamp) > (o.toleranceSeconds ?? 300)) return false;
  const want = Buffer.from(signWebhook(o.secret, o.id, o.timestamp, o.body));
  return o.signature.split(' ').some((s) => {
    const got = Buffer.from(s);
    return got.length === want.length && timingSafeEqual(got, want);
  });
}
