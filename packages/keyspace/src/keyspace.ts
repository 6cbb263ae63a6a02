/**
 * Every Redis key Bascule reads or writes, in one module (the BullMQ `queue-keys.ts` way). No
 * other file spells a key: packages/keyspace/src/keyspace-literals.test.ts fails on one. Each builder says
 * the key's Redis type, its one writer and its readers. See docs/redis.md and ADR 0027.
 *
 * Redis Cluster: keys that one script, MULTI, pipeline or multi-key command touches together
 * share a hash tag (the `{...}` part), so they hash to one slot. A family tag (`{auth}`,
 * `{usage}`, ...) puts a whole family on one slot; a per-entity tag (`learn:{ns/route}`) puts
 * one entity's keys together and spreads entities over the cluster; keys only ever used alone
 * carry no tag and spread by their full name. The prefix (default `bsc:`) must hold no `{`.
 */

/** The default prefix of every key (BullMQ's queues included, see BULL_PREFIX). */
export const DEFAULT_PREFIX = 'bsc:';

/** A family's tagged head, e.g. `bsc:{auth}:`. */
function tagged(family: string, prefix: string): string {
  return `${prefix}{${family}}:`;
}

// ---------------------------------------------------------------------------------------------
// API keys, rate limits and key budgets: hash tag {auth}. The admission and settle scripts
// (gateway auth/auth-script.ts) read each record (KEYS[2..]) and compute the rate and spend keys
// from `authHead()` inside Lua, so those keys must share the record's slot.

/** The head the admission scripts build rate, spend and max-cost keys from (`bsc:{auth}:`). */
export function authHead(prefix = DEFAULT_PREFIX): string {
  return tagged('auth', prefix);
}

/**
 * Hash: an API key's record (id, name, tenant, role, limits, budget); field names in
 * gateway auth/redis-key-store.ts. Writer: the key store (API role). Readers: the gateway's
 * admission script, the key store.
 */
export function apiKeyRecordKey(sha256: string, prefix = DEFAULT_PREFIX): string {
  return `${authHead(prefix)}key:${sha256}`;
}

/** Hash: key id → sha256 of its secret. Writer: the key store. Readers: key store, gateway. */
export function apiKeyIndexKey(prefix = DEFAULT_PREFIX): string {
  return `${authHead(prefix)}keys`;
}

/**
 * Pub/sub channel (not a key): the id of each API key revoked. Publisher: the key store's
 * revoke, in the same MULTI as the delete. Subscribers: gateways holding admission leases (ADR
 * 0034), which end the key's lease on the message.
 */
export function keyRevocationChannel(prefix = DEFAULT_PREFIX): string {
  return `${authHead(prefix)}revoked`;
}

/**
 * String counter: requests (`rpm`) or tokens (`tpm`) of a key in one minute bucket, TTL 120 s.
 * Writer: the gateway's admit (rpm) and settle (tpm) scripts, which build it in Lua as
 * `authHead() .. 'rl:' .. id .. ':' .. kind .. ':' .. minute`. Reader: the same scripts.
 */
export function rateCountKey(
  keyId: string,
  kind: 'rpm' | 'tpm',
  minute: string | number,
  prefix = DEFAULT_PREFIX,
): string {
  return `${authHead(prefix)}rl:${keyId}:${kind}:${minute}`;
}

/**
 * Hash {spent, reserved} (USD) of a key's budget in its period (`YYYY-MM-DD` or `YYYY-MM`), TTL
 * 40 days. Writer: the gateway's admit/settle scripts (Lua: `authHead() .. 'spend:' ..`).
 * Readers: the budget gauge (control-plane budget-metrics), the dashboard's keys page.
 */
export function keySpendKey(keyId: string, period: string, prefix = DEFAULT_PREFIX): string {
  return `${authHead(prefix)}spend:${keyId}:${period}`;
}

/** String: a key's largest request cost seen (USD). Writer and reader: the settle/admit scripts. */
export function keyMaxCostKey(keyId: string, prefix = DEFAULT_PREFIX): string {
  return `${authHead(prefix)}maxcost:${keyId}`;
}

// ---------------------------------------------------------------------------------------------
// Usage counters: hash tag {usage}. One flush script writes a guard and many counter hashes.

/**
 * Hash {requests, input_tokens, output_tokens, cost_usd, errors, overflow} per UTC day and
 * dimension (`key`, `route`, `target`, `adapter`, `shadow`, `overflowed-from`) and name.
 * Writer: the gateway's usage sink (metering/redis-usage-sink.ts). Readers: the API's usage and
 * capacity routes (usage-reader.ts), the dashboard's keys page.
 */
export function usageKey(day: string, dim: string, name: string, prefix = DEFAULT_PREFIX): string {
  return `${tagged('usage', prefix)}${day}:${dim}:${name}`;
}

/** SCAN pattern for one day's usage hashes of one dimension; the name follows it. */
export function usagePattern(day: string, dim: string, prefix = DEFAULT_PREFIX): string {
  return usageKey(day, dim, '', prefix);
}

/** String guard (1 day): one usage flush applied once. Writer and reader: the usage sink. */
export function usageFlushKey(flushId: string, prefix = DEFAULT_PREFIX): string {
  return `${tagged('usage', prefix)}flush:${flushId}`;
}

// ---------------------------------------------------------------------------------------------
// The dashboard's per-minute series: hash tag {ts} (written and read in pipelines).

/**
 * Hash of counters for one epoch minute and scope (`all`, `route:…`, `key:…`, `model:ns/name`),
 * TTL 24 h. Writers: the gateway's minute-series sink (request scopes) and the autoscaler's
 * model-series writer (`model:` scopes only). Readers: the dashboard API.
 */
export function minuteSeriesKey(
  epochMinute: number,
  scope: string,
  prefix = DEFAULT_PREFIX,
): string {
  return `${tagged('ts', prefix)}${epochMinute}:${scope}`;
}

// ---------------------------------------------------------------------------------------------
// Route budgets: hash tag {route-spend} (the ledger reads day and month with one MGET and adds
// to both in one MULTI; the dashboard reads every Route's in one pipeline).

/**
 * String (float, USD): a Route's spend in a day (`YYYY-MM-DD`) or month (`YYYY-MM`) bucket.
 * Writer: the gateway's route budget ledger. Readers: the ledger, the dashboard's routes page.
 */
export function routeSpendKey(route: string, bucket: string, prefix = DEFAULT_PREFIX): string {
  return `${tagged('route-spend', prefix)}${route}:${bucket}`;
}

/** SCAN/KEYS pattern of every Route spend bucket. */
export function routeSpendPattern(prefix = DEFAULT_PREFIX): string {
  return `${tagged('route-spend', prefix)}*`;
}

/**
 * List: a Route's recent complexity scores for one scorer (the calibration window; `window` is
 * `{namespace}/{route}:{scorer}`). Writer and reader: the gateway's score-window store. No tag
 * (each window is used alone).
 */
export function routeScoresKey(window: string, prefix = DEFAULT_PREFIX): string {
  return `${prefix}route-scores:${window}`;
}

/** KEYS pattern of one Route's score windows (any scorer). */
export function routeScoresPattern(route: string, prefix = DEFAULT_PREFIX): string {
  return `${prefix}route-scores:${route}:*`;
}

// ---------------------------------------------------------------------------------------------
// Learning, per Route: hash tag {ns/route} (the weights store writes weights, history and
// buffer in one MULTI).

function learnHead(route: string, prefix: string): string {
  return `${prefix}learn:{${route}}:`;
}

/** Hash: a Route's current weights (version, state, at, source, ...). Writer: weights store. */
export function learnWeightsKey(route: string, prefix = DEFAULT_PREFIX): string {
  return `${learnHead(route, prefix)}weights`;
}

/** List: a Route's weight versions, newest first. Writer and reader: the weights store. */
export function learnHistoryKey(route: string, prefix = DEFAULT_PREFIX): string {
  return `${learnHead(route, prefix)}history`;
}

/** List: graded examples not yet learned from. Writer and reader: the weights store. */
export function learnBufferKey(route: string, prefix = DEFAULT_PREFIX): string {
  return `${learnHead(route, prefix)}buffer`;
}

/**
 * Hash of shadow-evaluation outcome counters. Writer: the queue's shadow worker (the
 * control-plane's learning wiring counts through the same builder). Reader: the API's weights
 * route.
 */
export function learnStatsKey(route: string, prefix = DEFAULT_PREFIX): string {
  return `${learnHead(route, prefix)}stats`;
}

/** String (float, USD, 2 days): shadow spend of a Route on a day. Writer: shadow spend. */
export function learnSpendKey(route: string, day: string, prefix = DEFAULT_PREFIX): string {
  return `${learnHead(route, prefix)}spend:${day}`;
}

/** String (JSON): a served request kept for grading. Writer and reader: the outcome store. */
export function learnRequestKey(requestId: string, prefix = DEFAULT_PREFIX): string {
  return `${prefix}learn:req:${requestId}`;
}

/** String guard: a request was graded once. Writer and reader: the outcome store. */
export function learnGradedKey(requestId: string, prefix = DEFAULT_PREFIX): string {
  return `${prefix}learn:graded:${requestId}`;
}

// ---------------------------------------------------------------------------------------------
// Stored Responses (OpenAI Responses API): no tag.

/** String (JSON, TTL): a stored Response. Writer and reader: the gateway's response store. */
export function responseKey(id: string, prefix = DEFAULT_PREFIX): string {
  return `${prefix}response:${id}`;
}

// ---------------------------------------------------------------------------------------------
// Autoscaler demand reports: hash tag {autoscaler} (a gateway writes its counts and heartbeat
// in one pipeline; the readers read the three hashes together).

/**
 * Hash: gateway id → requests for the Model in flight at that gateway; TTL 30 s, refreshed each
 * report. Writer: the gateway's demand sink (control-plane roles/gateway-demand-sink.ts, via the
 * autoscaler's writeGatewayCounts). Readers: the autoscaler and the API's capacity route (both
 * through readGatewayCounts, stale gateways ignored).
 */
export function inflightKey(model: string, prefix = DEFAULT_PREFIX): string {
  return `${tagged('autoscaler', prefix)}inflight:${model}`;
}

/** Hash, same shape: requests that wanted the Model but overflowed. Writer/readers as inflight. */
export function overflowKey(model: string, prefix = DEFAULT_PREFIX): string {
  return `${tagged('autoscaler', prefix)}overflow:${model}`;
}

/** Hash: gateway id → time of its last report (ms). Writer/readers as inflightKey. */
export function gatewaysKey(prefix = DEFAULT_PREFIX): string {
  return `${tagged('autoscaler', prefix)}gateways`;
}

/** String (JSON ScalerState, TTL 1 h). Writer and reader: the autoscaler's state store. */
export function scalerStateKey(namespace: string, model: string, prefix = DEFAULT_PREFIX): string {
  return `${prefix}autoscaler:state:${namespace}/${model}`;
}

// ---------------------------------------------------------------------------------------------
// The queue. BullMQ puts every key of a queue under `{BULL_PREFIX}:{queue name}:`; the hash
// tag in the prefix puts every queue in one slot (BullMQ's documented way for Cluster). The
// prefix holds no `:`: with `bsc:{queue}` BullMQ's workers processed a batch about 3x slower
// (test/queue/worker-crash.test.ts timed out), so it is the whole tag, as BullMQ's docs show.

/** BullMQ prefix of every Bascule queue (async jobs, batches, webhooks, shadow evaluations). */
export const BULL_PREFIX = '{bsc-queue}';

/** Set of the target queue names in use. Writer: the queue API (intake). Readers: workers. */
export function queueTargetsKey(prefix = DEFAULT_PREFIX): string {
  return `${tagged('queue', prefix)}targets`;
}

/** Hash: tenant → waiting jobs in one target queue (fairness). Writer and reader: the queue. */
export function queueFairKey(queueName: string, prefix = DEFAULT_PREFIX): string {
  return `${tagged('queue', prefix)}fair:${queueName}`;
}

/**
 * Async jobs: hash tag {jobs} (a job and its owner's index are written in one MULTI, listed
 * with one MGET). String (JSON): one job. Writer and reader: the queue's job store.
 */
export function jobKey(id: string, prefix = DEFAULT_PREFIX): string {
  return `${tagged('jobs', prefix)}job:${id}`;
}

/** Sorted set: an owner's jobs by creation time. Writer and reader: the job store. */
export function jobIndexKey(owner: string, prefix = DEFAULT_PREFIX): string {
  return `${tagged('jobs', prefix)}index:${owner}`;
}

/** String (job id, 1 day): an idempotency key's job. Writer and reader: the job store. */
export function jobIdempotencyKey(owner: string, key: string, prefix = DEFAULT_PREFIX): string {
  return `${tagged('jobs', prefix)}idem:${owner}:${key}`;
}

/**
 * Batches: hash tag {batches} (a batch's keys go together into one script and one MULTI with its
 * owner's list). Writer and reader of all: the queue's batch store.
 */
export function batchKeys(id: string, prefix = DEFAULT_PREFIX) {
  const head = `${tagged('batches', prefix)}batch:${id}`;
  return {
    /** String (JSON): the batch document. */
    doc: head,
    /** Hash: custom_id → result line. */
    results: `${head}:res`,
    /** Hash: live counts. */
    counts: `${head}:counts`,
    /** String: set once the batch is sealed for finalisation. */
    sealed: `${head}:sealed`,
  };
}

/** Sorted set: an owner's batches by creation time. Writer and reader: the batch store. */
export function batchIndexKey(owner: string, prefix = DEFAULT_PREFIX): string {
  return `${tagged('batches', prefix)}index:${owner}`;
}

/** String (JSON): a file's metadata (contents live on the file storage). No tag. */
export function fileKey(id: string, prefix = DEFAULT_PREFIX): string {
  return `${prefix}file:${id}`;
}

// ---------------------------------------------------------------------------------------------
// Provider limits shared by gateway replicas (providers reliability/redis-shared-limits.ts).

/** The default prefix of the provider limit keys. */
export const PROVIDER_LIMITS_PREFIX = `${DEFAULT_PREFIX}providers`;

/** String counter: a provider's requests in the current window. Writer and reader: limits. */
export function providerRateKey(provider: string, prefix = PROVIDER_LIMITS_PREFIX): string {
  return `${prefix}:rate:{${provider}}`;
}

/** String with TTL: a provider is cooling down (a 429). Writer and reader: shared limits. */
export function providerCooldownKey(provider: string, prefix = PROVIDER_LIMITS_PREFIX): string {
  return `${prefix}:cooldown:{${provider}}`;
}
