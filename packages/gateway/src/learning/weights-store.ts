import {
  DEFAULT_PREFIX,
  learnBufferKey,
  learnHistoryKey,
  learnWeightsKey,
} from '@bascule/keyspace';
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { LearnerState } from './learning-scorer.js';

/** One stored version of a Route's online weights. */
export interface WeightsVersion {
  version: number;
  /** Epoch ms when it was written. */
  at: number;
  /** What wrote it: feedback, shadow, rollback:N, learn. */
  source: string;
  /** Labelled examples it took (rollbacks: 0). */
  examples: number;
  /** null: the shipped prior, no online weights (a rollback to version 0). Never has a buffer. */
  state: LearnerState | null;
  /** Outcomes ever appended to the Route's refit buffer when this version was written. */
  bufferTotal?: number;
}

export interface WeightsStore {
  /** The version in force (a cheap read, polled by every gateway). */
  version(route: string): Promise<number>;
  current(route: string): Promise<WeightsVersion | undefined>;
  /** Newest first, at most `HISTORY` versions (state left out). */
  history(route: string): Promise<Omit<WeightsVersion, 'state'>[]>;
  /**
   * Reads the state in force and the Route's refit buffer, lets `next` compute the following
   * state, and stores it as version N+1, atomically (optimistic: retried when another writer got
   * there first). The outcomes `next` added to the state's `buffer` are appended to the stored
   * buffer; the version itself is stored without it.
   */
  update(
    route: string,
    next: (
      state: LearnerState | undefined,
      buffer: readonly unknown[],
    ) => { state: LearnerState; examples: number },
    source: string,
  ): Promise<WeightsVersion>;
  /**
   * Stores the state of version `to` (default: the one before the current; 0: the shipped prior)
   * as version N+1, and drops the outcomes buffered since version `to` (so a later refit does not
   * learn the rolled-back outcomes again).
   */
  rollback(route: string, to?: number): Promise<WeightsVersion>;
  close(): void;
}

/** Versions kept for rollback. */
export const HISTORY = 50;

export class WeightsError extends Error {
  constructor(
    message: string,
    readonly code: 'not_found' | 'conflict',
  ) {
    super(message);
  }
}

/**
 * Online weights per Route in Redis, shared by every gateway and the API:
 * hash learnWeightsKey(route) (version, state JSON, at, source, examples, bufferTotal)
 * and list learnHistoryKey(route) (newest first, HISTORY entries, each with its state).
 * Every write is a new version, rollbacks included, so a gateway that polls the version never
 * misses a change and the history reads as a log.
 *
 * The learner's refit buffer (up to its `bufferCap` recent outcomes, ~1.5 kB each: megabytes)
 * lives apart, in list learnBufferKey(route) (oldest first, one JSON entry per
 * outcome, trimmed to the cap), written by appending and read only by writers (the API's
 * feedback, the worker's shadow verdicts). Versions stay a few kB that every gateway reloads.
 */
export function createRedisWeightsStore(redis: Redis, prefix = DEFAULT_PREFIX): WeightsStore {
  // WATCH belongs to a connection: writes use their own, one at a time in this process.
  let own: Redis | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: (conn: Redis) => Promise<T>): Promise<T> => {
    const run = queue.then(() => fn((own ??= redis.duplicate())));
    queue = run.catch(() => undefined);
    return run;
  };
  const hashKey = (r: string) => learnWeightsKey(r, prefix);
  const listKey = (r: string) => learnHistoryKey(r, prefix);
  const bufferKey = (r: string) => learnBufferKey(r, prefix);

  async function current(route: string, conn = redis): Promise<WeightsVersion | undefined> {
    const h = await conn.hgetall(hashKey(route));
    if (!h.version || !h.state) return undefined;
    return {
      version: Number(h.version),
      at: Number(h.at ?? 0),
      source: h.source ?? '',
      examples: Number(h.examples ?? 0),
      state: JSON.parse(h.state) as LearnerState | null,
      bufferTotal: Number(h.bufferTotal ?? 0),
    };
  }

  /** What a write stores: the version's fields, and how to change the buffer. */
  interface Write extends Omit<WeightsVersion, 'version' | 'at' | 'bufferTotal'> {
    /** Outcomes to append to the buffer, and the buffer's cap. */
    append?: { entries: readonly unknown[]; cap: number };
    /** The learner started over (another prior version): the stored buffer is dropped first. */
    resetBuffer?: boolean;
    /** Buffer entries to drop from its newest end (a rollback). */
    dropNewest?: number;
  }

  async function write(
    route: string,
    compute: (cur: WeightsVersion | undefined, conn: Redis) => Promise<Write>,
  ): Promise<WeightsVersion> {
    return serial((conn) => writeOn(conn, route, compute));
  }

  async function writeOn(
    conn: Redis,
    route: string,
    compute: (cur: WeightsVersion | undefined, conn: Redis) => Promise<Write>,
  ): Promise<WeightsVersion> {
    for (let attempt = 0; attempt < 20; attempt++) {
      await conn.watch(hashKey(route));
      const cur = await current(route, conn);
      let body: Write;
      try {
        body = await compute(cur, conn);
      } catch (err) {
        await conn.unwatch();
        throw err;
      }
      const { append, dropNewest = 0, resetBuffer, ...fields } = body;
      const appended = append?.entries.length ?? 0;
      const kept = resetBuffer ? 0 : Math.max(0, (cur?.bufferTotal ?? 0) - dropNewest);
      const v: WeightsVersion = {
        version: (cur?.version ?? 0) + 1,
        at: Date.now(),
        ...fields,
        bufferTotal: kept + appended,
      };
      const tx = conn
        .multi()
        .hset(hashKey(route), {
          version: v.version,
          at: v.at,
          source: v.source,
          examples: v.examples,
          state: JSON.stringify(v.state),
          bufferTotal: v.bufferTotal!,
        })
        .lpush(listKey(route), JSON.stringify(v))
        .ltrim(listKey(route), 0, HISTORY - 1);
      // Every buffer write happens under the WATCH of the weights hash, in the same transaction.
      if (resetBuffer) tx.del(bufferKey(route));
      else if (dropNewest > 0) tx.ltrim(bufferKey(route), 0, -(dropNewest + 1));
      if (append && appended > 0)
        tx.rpush(bufferKey(route), ...append.entries.map((e) => JSON.stringify(e))).ltrim(
          bufferKey(route),
          -Math.max(1, append.cap),
          -1,
        );
      const ok = await tx.exec();
      if (ok) return v;
      // Another writer committed first: back off with jitter so writers take turns instead of
      // racing each other again at once.
      await delay(Math.random() * Math.min(250, 5 * 2 ** attempt));
    }
    throw new WeightsError(`weights of ${route} are being written by too many writers`, 'conflict');
  }

  return {
    async version(route) {
      return Number((await redis.hget(hashKey(route), 'version')) ?? 0);
    },
    current,
    async history(route) {
      const items = await redis.lrange(listKey(route), 0, HISTORY - 1);
      return items.map((s) => {
        const { state: _s, ...rest } = JSON.parse(s) as WeightsVersion;
        return rest;
      });
    },
    update(route, next, source) {
      return write(route, async (cur, conn) => {
        const buffer = (await conn.lrange(bufferKey(route), 0, -1)).map(
          (e) => JSON.parse(e) as unknown,
        );
        const out = next(cur?.state ?? undefined, buffer);
        const { buffer: after, ...state } = out.state;
        // The learner appends its new outcomes at the end of the buffer it was given (FIFO).
        const added = after ? after.slice(Math.max(0, after.length - out.examples)) : [];
        const cap = (state as { bufferCap?: number }).bufferCap ?? after?.length ?? 0;
        // A learner that no longer builds on the stored weights' prior starts a new buffer.
        const prior = (s: LearnerState | null | undefined) =>
          (s as { priorVersion?: unknown } | null | undefined)?.priorVersion;
        const resetBuffer = !!cur?.state && prior(cur.state) !== prior(state);
        return {
          state,
          examples: out.examples,
          source,
          ...(resetBuffer ? { resetBuffer } : {}),
          ...(after && added.length > 0 && cap > 0 ? { append: { entries: added, cap } } : {}),
        };
      });
    },
    rollback(route, to) {
      return write(route, async (cur) => {
        if (!cur) throw new WeightsError(`${route} has no learned weights yet`, 'not_found');
        const target = to ?? cur.version - 1;
        if (target === cur.version)
          throw new WeightsError(`${route} is already at version ${target}`, 'conflict');
        const items = await redis.lrange(listKey(route), 0, HISTORY - 1);
        const found =
          target <= 0
            ? { state: null, bufferTotal: 0 }
            : items.map((s) => JSON.parse(s) as WeightsVersion).find((v) => v.version === target);
        if (!found)
          throw new WeightsError(
            `${route} has no stored version ${target} (versions kept: the last ${HISTORY})`,
            'not_found',
          );
        const dropNewest = Math.max(0, (cur.bufferTotal ?? 0) - (found.bufferTotal ?? 0));
        return {
          source: `rollback:${Math.max(0, target)}`,
          examples: 0,
          state: found.state,
          ...(dropNewest > 0 ? { dropNewest } : {}),
        };
      });
    },
    close() {
      own?.disconnect();
    },
  };
}
