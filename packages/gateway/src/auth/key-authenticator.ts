import {
  DEFAULT_PREFIX,
  apiKeyIndexKey,
  apiKeyRecordKey,
  authHead,
  redisScript,
} from '@bascule/keyspace';
import type { IncomingMessage } from 'node:http';
import { ReplyError, type Redis } from 'ioredis';
import { ON_BEHALF_OF_HEADER } from '@bascule/spec';
import { GatewayError } from '../errors/gateway-error.js';
import type { UsageRecord } from '../metering/usage-record.js';
import type { AuthenticateUse, Principal } from '../proxy/principal.js';
import { bearerToken, hashApiKey, keysEqual, type KeyRole } from './api-key.js';
import { AUTH_SCRIPT } from './auth-script.js';
import { checkScope } from './check-scope.js';
import { AuthBatch } from './auth-batch.js';
import { leaseExpiry, type AdmissionLease } from './admission-lease.js';
import { LeaseTable } from './lease-table.js';
import { subscribeRevocations, type RevocationFeed } from './revocation-feed.js';
import { KEY_ID_PATTERN } from './key-id-pattern.js';
import { toInfo } from './redis-key-store.js';

/** The caller behind a valid key. */
export interface KeyPrincipal extends Principal {
  tenant: string;
  role: KeyRole;
  name: string;
}

export interface KeyAuthenticatorOptions {
  redis: Redis;
  prefix?: string;
  /** Bootstrap admin key (from BASCULE_ADMIN_KEY, itself from a Secret): never expires, no limits. */
  adminKey?: string;
  now?: () => number;
  /**
   * Admission leases (docs/decisions/0034-admission-leases.md): a busy key's inference requests
   * are admitted from admissions taken in Redis ahead of time, with no round trip on the
   * request path; revocations arrive on a second connection (a duplicate of `redis`). Off by
   * default (every request is admitted in Redis); the gateway role turns it on. `close()` ends
   * the leases and the connection.
   */
  leases?: boolean;
}

/**
 * How a request is admitted (see AUTH_SCRIPT): an inference request, the creation of queued
 * work, or queued work run on its submitter's behalf.
 */
export type AdmitMode = 'request' | 'check' | 'deferred';

/**
 * The one admission path (docs/decisions/0022-admission-and-egress.md): every request that
 * costs anything (inference, a job, a batch, a file upload, queued work run later) is admitted
 * here under its key's scope, rpm, tpm, budget and tenant; reads only identify the caller.
 */
export interface KeyAuthenticator {
  /**
   * Gateway: `admit` (default) authenticates and admits one inference request under rpm, tpm
   * and budget (or, with x-bascule-on-behalf-of from an admin key, under the submitter's key);
   * `identify` only authenticates (listings: no limits, nothing reserved, nothing kept).
   */
  authenticate: (req: IncomingMessage, use?: AuthenticateUse) => Promise<KeyPrincipal>;
  /**
   * Creating queued work (POST /api/v1/jobs, /v1/batches, /v1/files): rpm and tpm as a request,
   * the budget must not be spent, and every target named must be within the key's scope.
   */
  admitWork: (
    authorization: string | string[] | undefined,
    targets: readonly string[],
  ) => Promise<KeyPrincipal>;
  /** Control API and reads: authenticates only (no limits are taken). */
  verify: (authorization: string | string[] | undefined) => Promise<KeyPrincipal>;
  /** Admissions waiting for their settle (one per inference request in flight). */
  pendingAdmissions: () => number;
  /** Feed every metered request here (the gateway's onUsage): settles cost and tokens. */
  settle: (record: UsageRecord) => void;
  /** Resolves once every settle so far has reached Redis (tests, shutdown). */
  drain: () => Promise<void>;
  /** Gives back what leases hold, drains, and closes the revocation connection. */
  close: () => Promise<void>;
}

export const BOOTSTRAP_ADMIN: KeyPrincipal = {
  keyId: 'bootstrap-admin',
  name: 'bootstrap-admin',
  tenant: 'admin',
  role: 'admin',
};

interface Admission {
  est: number;
  period: string;
  minute: string;
}

const AUTH = redisScript(AUTH_SCRIPT);
/** Reply fields before the record's (name, value) pairs: verdict, est, granted, tpmUsed. */
const OK_HEAD = 4;
/** How often leases that expired give back what they did not use. */
const LEASE_SWEEP_MS = 250;
/** Keys whose record key (their hash's) a gateway keeps at most. */
const RECORD_KEY_CACHE = 4096;

const unauthorized = (message: string) =>
  new GatewayError({ status: 401, code: 'invalid_api_key', message });

/** Seconds a client is told to wait when the key store cannot be reached. */
export const KEY_STORE_RETRY_AFTER_S = 5;

/**
 * Keys, limits and budgets live in Redis: when it does not answer (down, restarting, loading its
 * AOF) the request cannot be admitted. Say so with a retryable 503 instead of an anonymous 500.
 */
const keyStoreUnavailable = (cause: unknown) =>
  new GatewayError({
    status: 503,
    code: 'key_store_unavailable',
    message: `cannot check the API key: the key store (Redis) is unavailable; retry in ${KEY_STORE_RETRY_AFTER_S} s`,
    headers: { 'retry-after': String(KEY_STORE_RETRY_AFTER_S) },
    retryable: true,
    cause,
  });

/**
 * Bearer-key authentication against the Redis key store. Limits and budgets are counted in
 * Redis, so replicas share them. Without leases every request reads Redis (one script per
 * event-loop turn), so a revoked key is refused at once on every replica; with leases (ADR
 * 0034) a busy key's requests are admitted locally from admissions taken ahead, and a
 * revocation reaches every replica as a message (within LEASE_MS if the message is lost).
 */
export function createKeyAuthenticator(options: KeyAuthenticatorOptions): KeyAuthenticator {
  const { redis } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const now = options.now ?? Date.now;
  const pending = new Map<string, Admission[]>();
  const head = authHead(prefix);
  // Admissions and settles go to Redis together, one call per turn of the event loop.
  const writes = new AuthBatch(
    (keys, args) => AUTH.run(redis, keys, args),
    head,
    apiKeyIndexKey(prefix),
    now,
  );
  const leases = options.leases ? new LeaseTable((s) => writes.settle(s), now) : undefined;
  let feed: RevocationFeed | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  if (leases) {
    feed = subscribeRevocations(redis, prefix, {
      revoked: (id) => leases.revoked(id),
      live: (live) => leases.setLive(live),
    });
    sweeper = setInterval(() => leases.sweep(), LEASE_SWEEP_MS).unref();
  }

  function token(header: string | string[] | undefined): string {
    const t = bearerToken(header);
    if (!t)
      throw unauthorized(
        'missing API key: send "Authorization: Bearer bsc-..." (create one with bascule keys create)',
      );
    if (!t.startsWith('bsc-') || t.length > 200) throw unauthorized('invalid API key');
    return t;
  }

  // The record key of each key seen lately: a SHA-256 per request is a few µs of the hot path.
  // Bounded (emptied when full), so a flood of made-up keys costs memory only up to the bound.
  const recordKeys = new Map<string, string>();
  function recordKeyOf(t: string): string {
    let k = recordKeys.get(t);
    if (k === undefined) {
      if (recordKeys.size >= RECORD_KEY_CACHE) recordKeys.clear();
      recordKeys.set(t, (k = apiKeyRecordKey(hashApiKey(t), prefix)));
    }
    return k;
  }

  function bootstrap(t: string): boolean {
    return options.adminKey !== undefined && keysEqual(t, options.adminKey);
  }

  async function lookup(t: string): Promise<KeyPrincipal> {
    if (bootstrap(t)) return BOOTSTRAP_ADMIN;
    const h = await redis.hgetall(recordKeyOf(t)).catch((err: unknown) => {
      throw keyStoreUnavailable(err);
    });
    if (!h.id) throw unauthorized('invalid or revoked API key');
    return toPrincipal(toInfo(h));
  }

  function pend(id: string, admission: Admission): void {
    const list = pending.get(id);
    if (list) list.push(admission);
    else pending.set(id, [admission]);
  }

  /** An inference request: from the key's lease when it holds one, else admitted in Redis. */
  function admitRequest(recordKey: string): Promise<KeyPrincipal> {
    const lease = leases?.take(recordKey);
    if (!lease) return admitRecord(recordKey, 'request');
    pend(lease.principal.keyId, { est: lease.est, period: lease.period, minute: lease.minute });
    return Promise.resolve(lease.principal);
  }

  /** One atomic step in Redis: the key's record, rpm, tpm and budget (see AUTH_SCRIPT). */
  async function admitRecord(recordKey: string, mode: AdmitMode): Promise<KeyPrincipal> {
    const want = mode === 'request' ? leases?.renew(recordKey) : undefined;
    let lease: AdmissionLease | undefined;
    try {
      const p = await askRedis(recordKey, mode, want);
      lease = p.lease;
      return p.principal;
    } finally {
      if (want !== undefined) leases!.renewed(recordKey, lease);
    }
  }

  async function askRedis(
    recordKey: string,
    mode: AdmitMode,
    want: number | undefined,
  ): Promise<{ principal: KeyPrincipal; lease?: AdmissionLease }> {
    const {
      reply: r,
      at,
      buckets,
    } = await writes.admit(recordKey, mode, want).catch((err: unknown) => {
      // Redis answered with an error (a script or data bug): not an outage, not retryable.
      if (err instanceof ReplyError) throw err;
      throw keyStoreUnavailable(err);
    });
    const verdict = r[0];
    if (verdict === 'unknown') throw unauthorized('invalid or revoked API key');
    // The script failed on this one request (a malformed record): a 500, the others go on.
    if (verdict === 'error') throw new Error(`the key store's admission script failed: ${r[1]}`);
    if (verdict === 'rpm' || verdict === 'tpm')
      throw new GatewayError({
        status: 429,
        code: verdict === 'rpm' ? 'rate_limit_requests' : 'rate_limit_tokens',
        message: `this API key's ${verdict} limit is reached; retry after ${r[1]} s`,
        headers: { 'retry-after': r[1]! },
        retryable: true,
        ...(r[2] ? { keyId: r[2] } : {}),
      });
    if (verdict === 'budget') {
      const period = r[3]!;
      throw new GatewayError({
        status: 402,
        type: 'insufficient_quota',
        code: 'budget_exceeded',
        message: `this API key's budget of $${r[2]} for ${period} is spent ($${Number(r[1]).toFixed(4)} used); it resets at the start of the next ${period.length === 7 ? 'month' : 'day'} (UTC)`,
        headers: { 'retry-after': String(secondsToReset(at, period.length === 7)) },
        ...(r[4] ? { keyId: r[4] } : {}),
      });
    }
    const fields: Record<string, string> = {};
    for (let i = OK_HEAD; i + 1 < r.length; i += 2) fields[r[i]!] = r[i + 1]!;
    const info = toInfo(fields);
    const principal = toPrincipal(info);
    // 'check' reserves nothing and is never metered: nothing to settle.
    if (mode === 'check') return { principal };
    const admission: Admission = {
      est: Number(r[1]),
      period: info.budget ? buckets[info.budget.period] : '',
      minute: buckets.minute,
    };
    pend(info.id, admission);
    if (want === undefined) return { principal };
    const granted = Number(r[2]);
    return {
      principal,
      lease: {
        principal,
        expiresAt: leaseExpiry(at.getTime()),
        // the first admission is this request's
        slots: granted < 0 ? Number.POSITIVE_INFINITY : granted - 1,
        used: 1,
        ...admission,
        tpm: info.tpm ?? 0,
        tpmUsed: Number(r[3]),
      },
    };
  }

  /** Queued work sent by the worker: admitted under the key that submitted it. */
  async function admitOnBehalf(t: string, keyId: string): Promise<KeyPrincipal> {
    const sender = await lookup(t);
    if (sender.role !== 'admin')
      throw new GatewayError({
        status: 403,
        code: 'on_behalf_not_allowed',
        param: ON_BEHALF_OF_HEADER,
        message: `only an admin key (the worker's) may send ${ON_BEHALF_OF_HEADER}`,
      });
    // Work the bootstrap admin key submitted (it has no record: no limits, no budget).
    if (keyId === BOOTSTRAP_ADMIN.keyId) return BOOTSTRAP_ADMIN;
    if (!KEY_ID_PATTERN.test(keyId))
      throw GatewayError.badRequest(
        `${ON_BEHALF_OF_HEADER} must be a key id (key_ and 16 hex digits)`,
        ON_BEHALF_OF_HEADER,
      );
    const sha = await redis.hget(apiKeyIndexKey(prefix), keyId).catch((err: unknown) => {
      throw keyStoreUnavailable(err);
    });
    if (!sha) throw unauthorized(`the key that submitted this work (${keyId}) is revoked`);
    // Scope was checked when the work was submitted, against its Route; the worker may send it
    // to that Route's closed target by name (a deadline fallback), which the key's list of
    // Routes does not name.
    const { allowedModels: _scope, ...p } = await admitRecord(
      apiKeyRecordKey(sha, prefix),
      'deferred',
    );
    return p;
  }

  return {
    authenticate: async (req, use = 'admit') => {
      if (use === 'identify') return lookup(token(req.headers.authorization));
      const t = token(req.headers.authorization);
      const behalf = req.headers[ON_BEHALF_OF_HEADER];
      if (behalf !== undefined)
        return admitOnBehalf(t, Array.isArray(behalf) ? (behalf[0] ?? '') : behalf);
      if (bootstrap(t)) return BOOTSTRAP_ADMIN;
      return admitRequest(recordKeyOf(t));
    },
    admitWork: async (authorization, targets) => {
      const t = token(authorization);
      const p = bootstrap(t) ? BOOTSTRAP_ADMIN : await admitRecord(recordKeyOf(t), 'check');
      for (const target of targets) checkScope(p, target);
      return p;
    },
    verify: async (authorization) => lookup(token(authorization)),
    pendingAdmissions: () => {
      let n = 0;
      for (const l of pending.values()) n += l.length;
      return n;
    },
    settle: (record) => {
      if (record.refused) return;
      const list = pending.get(record.key);
      const a = list?.shift();
      if (list && list.length === 0) pending.delete(record.key);
      if (!a) return;
      const tokens = record.promptTokens + record.completionTokens;
      leases?.settled(record.key, a.minute, tokens, record.costUSD);
      writes.settle({
        id: record.key,
        period: a.period,
        est: a.est,
        costUSD: record.costUSD,
        tokens,
        minute: a.minute,
      });
    },
    drain: () => writes.drain(),
    close: async () => {
      clearInterval(sweeper);
      feed?.close();
      leases?.endAll();
      await writes.drain();
      // A renewal answered during that drain gives its lease back once its reply is handled
      // (a few microtasks later): send that too.
      if (leases) {
        await new Promise((r) => setImmediate(r));
        await writes.drain();
      }
    },
  };
}

function toPrincipal(info: ReturnType<typeof toInfo>): KeyPrincipal {
  return {
    keyId: info.id,
    name: info.name,
    tenant: info.tenant,
    role: info.role,
    ...(info.routes ? { allowedModels: info.routes } : {}),
  };
}

function secondsToReset(at: Date, month: boolean): number {
  const next = month
    ? Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)
    : Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - at.getTime()) / 1000));
}
