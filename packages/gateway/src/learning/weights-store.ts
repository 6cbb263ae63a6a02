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
  /** null: the shipped prior, no online weights (a rollback to version 0). */
  state: LearnerState | null;
}

export interface WeightsStore {
  /** The version in force (a cheap read, polled by every gateway). */
  version(route: string): Promise<number>;
  current(route: string): Promise<WeightsVersion | undefined>;
  /** Newest first, at most `HISTORY` versions (state left out). */
  history(route: string): Promise<Omit<WeightsVersion, 'state'>[]>;
  /**
   * Reads the state in force, lets `next` compute the following one, and stores it as version
   * N+1, atomically (optimistic: retried when another writer got there first).
   */
  update(
    route: string,
    next: (state: LearnerState | undefined) => { state: LearnerState; examples: number },
    source: string,
  ): Promise<WeightsVersion>;
  /**
   * Stores the state of version `to` (default: the one before the current; 0: the shipped prior)
   * as version N+1.
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
 * hash `bsc:learn:weights:{ns}/{route}` (version, state JSON, at, source, examples) and list
 * `bsc:learn:history:{ns}/{route}` (newest first, HISTORY entries, each with its state). Every
 * write is a new version, rollbacks included, so a gateway that polls the version never misses a
 * change and the history reads as a log.
 */
export function createRedisWeightsStore(redis: Redis, prefix = 'bsc:'): WeightsStore {
  // WATCH belongs to a connection: writes use their own, one at a time in this process.
  let own: Redis | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: (conn: Redis) => Promise<T>): Promise<T> => {
    const run = queue.then(() => fn((own ??= redis.duplicate())));
    queue = run.catch(() => undefined);
    return run;
  };
  const hashKey = (r: string) => `${prefix}learn:weights:${r}`;
  const listKey = (r: string) => `${prefix}learn:history:${r}`;

  async function current(route: string, conn = redis): Promise<WeightsVersion | undefined> {
    const h = await conn.hgetall(hashKey(route));
    if (!h.version || !h.state) return undefined;
    return {
      version: Number(h.version),
      at: Number(h.at ?? 0),
      source: h.source ?? '',
      examples: Number(h.examples ?? 0),
      state: JSON.parse(h.state) as LearnerState | null,
    };
  }

  async function write(
    route: string,
    compute: (cur: WeightsVersion | undefined) => Promise<Omit<WeightsVersion, 'version' | 'at'>>,
  ): Promise<WeightsVersion> {
    return serial((conn) => writeOn(conn, route, compute));
  }

  async function writeOn(
    conn: Redis,
    route: string,
    compute: (cur: WeightsVersion | undefined) => Promise<Omit<WeightsVersion, 'version' | 'at'>>,
  ): Promise<WeightsVersion> {
    for (let attempt = 0; attempt < 20; attempt++) {
      await conn.watch(hashKey(route));
      const cur = await current(route, conn);
      let body: Omit<WeightsVersion, 'version' | 'at'>;
      try {
        body = await compute(cur);
      } catch (err) {
        await conn.unwatch();
        throw err;
      }
      const v: WeightsVersion = { version: (cur?.version ?? 0) + 1, at: Date.now(), ...body };
      const ok = await conn
        .multi()
        .hset(hashKey(route), {
          version: v.version,
          at: v.at,
          source: v.source,
          examples: v.examples,
          state: JSON.stringify(v.state),
        })
        .lpush(listKey(route), JSON.stringify(v))
        .ltrim(listKey(route), 0, HISTORY - 1)
        .exec();
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
      return write(route, (cur) => Promise.resolve({ ...next(cur?.state ?? undefined), source }));
    },
    rollback(route, to) {
      return write(route, async (cur) => {
        if (!cur) throw new WeightsError(`${route} has no learned weights yet`, 'not_found');
        const target = to ?? cur.version - 1;
        if (target === cur.version)
          throw new WeightsError(`${route} is already at version ${target}`, 'conflict');
        if (target <= 0) return { source: 'rollback:0', examples: 0, state: null };
        const items = await redis.lrange(listKey(route), 0, HISTORY - 1);
        const found = items
          .map((s) => JSON.parse(s) as WeightsVersion)
          .find((v) => v.version === target);
        if (!found)
          throw new WeightsError(
            `${route} has no stored version ${target} (versions kept: the last ${HISTORY})`,
            'not_found',
          );
        return { source: `rollback:${target}`, examples: 0, state: found.state };
      });
    },
    close() {
      own?.disconnect();
    },
  };
}
