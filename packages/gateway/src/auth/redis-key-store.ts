import {
  DEFAULT_PREFIX,
  apiKeyIndexKey,
  apiKeyRecordKey,
  keyRevocationChannel,
} from '@bascule/keyspace';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  CreateKeyRequestSchema,
  generateApiKey,
  hashApiKey,
  type ApiKeyInfo,
  type CreateKeyRequest,
  type KeyRole,
} from './api-key.js';

/** A key's record as the authenticator reads it (Redis hash keyspace apiKeyRecordKey). */
export type StoredKey = ApiKeyInfo;

export interface KeyStore {
  /** Issues a key: the secret is returned once and only its hash is stored. */
  create(
    input: CreateKeyRequest,
    defaults?: { tenant?: string },
  ): Promise<{ key: string; info: ApiKeyInfo }>;
  /** Keys of one tenant, or all when tenant is undefined. */
  list(tenant?: string): Promise<ApiKeyInfo[]>;
  get(id: string): Promise<ApiKeyInfo | undefined>;
  /** Deletes the key's record: every replica refuses it from the next request on. */
  revoke(id: string): Promise<boolean>;
  /** Key ids of a tenant (for tenant-scoped usage). */
  idsOf(tenant: string): Promise<string[]>;
}

/**
 * API keys in Redis (docs/decisions/0006-api-keys.md): hash apiKeyRecordKey(sha256(secret))
 * holds the record, hash apiKeyIndexKey() maps id to sha256 (keyspace.ts). No secret is ever stored.
 */
export function createRedisKeyStore(redis: Redis, prefix = DEFAULT_PREFIX): KeyStore {
  const index = apiKeyIndexKey(prefix);
  const recordKey = (sha: string) => apiKeyRecordKey(sha, prefix);

  async function read(sha: string): Promise<ApiKeyInfo | undefined> {
    const h = await redis.hgetall(recordKey(sha));
    return h.id ? toInfo(h) : undefined;
  }

  return {
    async create(input, defaults = {}) {
      const req = CreateKeyRequestSchema.parse(input);
      const key = generateApiKey();
      const sha = hashApiKey(key);
      const id = `key_${randomBytes(8).toString('hex')}`;
      const fields: Record<string, string> = {
        id,
        name: req.name,
        prefix: key.slice(0, 7),
        tenant: req.tenant ?? defaults.tenant ?? 'default',
        role: req.role,
        createdAt: new Date().toISOString(),
      };
      if (req.routes) fields.routes = JSON.stringify(req.routes);
      if (req.budget) {
        fields.budgetUSD = String(req.budget.usd);
        fields.budgetPeriod = req.budget.period;
      }
      if (req.rpm) fields.rpm = String(req.rpm);
      if (req.tpm) fields.tpm = String(req.tpm);
      await redis.multi().hset(recordKey(sha), fields).hset(index, id, sha).exec();
      return { key, info: toInfo(fields) };
    },
    async list(tenant) {
      const all = await redis.hgetall(index);
      const infos = await Promise.all(Object.values(all).map(read));
      return infos
        .filter(
          (i): i is ApiKeyInfo => i !== undefined && (tenant === undefined || i.tenant === tenant),
        )
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    async get(id) {
      const sha = await redis.hget(index, id);
      return sha ? read(sha) : undefined;
    },
    async revoke(id) {
      const sha = await redis.hget(index, id);
      if (!sha) return false;
      // The message ends the key's admission leases on every gateway (ADR 0034).
      await redis
        .multi()
        .del(recordKey(sha))
        .hdel(index, id)
        .publish(keyRevocationChannel(prefix), id)
        .exec();
      return true;
    },
    async idsOf(tenant) {
      return (await this.list(tenant)).map((k) => k.id);
    },
  };
}

/** Record fields (strings, as Redis returns them) to the public key info. */
export function toInfo(h: Record<string, string>): ApiKeyInfo {
  return {
    id: h.id!,
    name: h.name ?? '',
    prefix: h.prefix ?? 'bsc-',
    tenant: h.tenant ?? 'default',
    role: (h.role ?? 'user') as KeyRole,
    ...(h.routes ? { routes: JSON.parse(h.routes) as string[] } : {}),
    ...(h.budgetUSD
      ? {
          budget: {
            usd: Number(h.budgetUSD),
            period: h.budgetPeriod === 'day' ? ('day' as const) : ('month' as const),
          },
        }
      : {}),
    ...(h.rpm ? { rpm: Number(h.rpm) } : {}),
    ...(h.tpm ? { tpm: Number(h.tpm) } : {}),
    createdAt: h.createdAt ?? '',
  };
}
