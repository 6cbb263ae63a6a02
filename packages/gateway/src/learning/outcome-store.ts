import { DEFAULT_PREFIX, learnGradedKey, learnRequestKey } from '@bascule/keyspace';
import type { ComplexityTier } from '@bascule/spec';
import type { PromptSample } from '@bascule/router';
import type { Redis } from 'ioredis';

/** What the gateway remembers of one served request, so a later grade can label it. */
export interface ServedOutcome {
  requestId: string;
  /** `{namespace}/{name}` of the Route. */
  route: string;
  target: string;
  tier?: ComplexityTier;
  /** The complexity score the request was routed on. */
  score?: number;
  /** What the scorer read (the last user message, at most 2,000 characters, and counts). */
  sample: PromptSample;
  /** The API key id that made the request ('anonymous' without keys). */
  key: string;
  /** Epoch ms. */
  at: number;
}

export interface OutcomeStore {
  remember(o: ServedOutcome, ttlMs: number): Promise<void>;
  get(requestId: string): Promise<ServedOutcome | undefined>;
  /** True the first time a request is graded; false after (one grade per request). */
  claimGrade(requestId: string, ttlMs: number): Promise<boolean>;
}

/**
 * Served requests in Redis: keyspace learnRequestKey(id) (JSON, expires after the Route's
 * learning.rememberFor) and learnGradedKey(id) (set once a grade was taken).
 */
export function createRedisOutcomeStore(redis: Redis, prefix = DEFAULT_PREFIX): OutcomeStore {
  const k = (id: string) => learnRequestKey(id, prefix);
  return {
    async remember(o, ttlMs) {
      await redis.set(k(o.requestId), JSON.stringify(o), 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async get(id) {
      const s = await redis.get(k(id));
      return s ? (JSON.parse(s) as ServedOutcome) : undefined;
    },
    async claimGrade(id, ttlMs) {
      const r = await redis.set(
        learnGradedKey(id, prefix),
        '1',
        'PX',
        Math.max(1, Math.round(ttlMs)),
        'NX',
      );
      return r === 'OK';
    },
  };
}
