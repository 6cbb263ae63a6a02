import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** What a key may do: `admin` everything, `operator` the control API of its tenant, `user` inference and jobs only. */
export const KEY_ROLES = ['admin', 'operator', 'user'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

/** Body of `POST /api/v1/keys` (strict: an unknown field is an error naming it). */
export const CreateKeyRequestSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'must be a lowercase DNS-style name' }),
  tenant: z
    .string()
    .min(1)
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'must be a lowercase DNS label' })
    .optional(),
  role: z.enum(KEY_ROLES).default('user'),
  /** Routes (or Models, provider/model) the key may call; all when absent. */
  routes: z.array(z.string().min(1).max(253)).max(256).optional(),
  budget: z
    .strictObject({
      usd: z.number().positive().max(1e9),
      period: z.enum(['day', 'month']).default('month'),
    })
    .optional(),
  rpm: z.number().int().positive().max(1e9).optional(),
  tpm: z.number().int().positive().max(1e12).optional(),
});
export type CreateKeyRequest = z.input<typeof CreateKeyRequestSchema>;

/** A stored key as listed (never the secret itself, never its hash). */
export const ApiKeyInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** First characters of the secret (`bsc-AbC1...`) so people can tell keys apart. */
  prefix: z.string(),
  tenant: z.string(),
  role: z.enum(KEY_ROLES),
  routes: z.array(z.string()).optional(),
  budget: z.object({ usd: z.number(), period: z.enum(['day', 'month']) }).optional(),
  rpm: z.number().optional(),
  tpm: z.number().optional(),
  createdAt: z.string(),
});
export type ApiKeyInfo = z.infer<typeof ApiKeyInfoSchema>;

/** A new key: `bsc-` and 32 random bytes in base64url (256 bits). */
export function generateApiKey(): string {
  return `bsc-${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 hex of a key: what is stored and looked up (keys are random, so no salt or KDF is needed). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time equality of two keys (compares their SHA-256 digests). */
export function keysEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const h = Array.isArray(header) ? header[0] : header;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}
