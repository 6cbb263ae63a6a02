import { learnStatsKey } from '@bascule/keyspace';
import {
  createLearnedScorers,
  createLearningHook,
  createRedisOutcomeStore,
  createRedisShadowSpend,
  createRedisWeightsStore,
  defaultLearningScorerFactory,
  routeKey,
  type LearningHook,
  type ResourceSource,
} from '@bascule/gateway';
import { createShadowEnqueuer, redisOptions } from '@bascule/queue';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * The gateway's side of learning from traffic, on the shared Redis: outcomes of Routes with
 * `learning`, shadow jobs (BullMQ), and each Route's online weights, polled into memory.
 */
export function startGatewayLearning(o: {
  redis: Redis;
  redisUrl: string;
  resources: ResourceSource;
  logger: Logger;
}): { hook: LearningHook; close(): Promise<void> } {
  const weights = createRedisWeightsStore(o.redis);
  const scorers = createLearnedScorers({
    store: weights,
    factory: defaultLearningScorerFactory,
    routes: () =>
      o.resources
        .snapshot()
        .catalog.routes()
        .filter((r) => r.spec.learning)
        .map(routeKey),
    onError: throttle((err: unknown) =>
      o.logger.warn({ err: message(err) }, 'cannot load learned weights (logged once a minute)'),
    ),
  });
  const shadow = createShadowEnqueuer(redisOptions(o.redisUrl));
  const hook = createLearningHook({
    outcomes: createRedisOutcomeStore(o.redis),
    spend: createRedisShadowSpend(o.redis),
    scorers,
    enqueueShadow: (job) => shadow.enqueue(job),
    count: (route, field) => o.redis.hincrby(learnStatsKey(route), field, 1),
    onError: throttle((err: unknown, op: string) =>
      o.logger.warn(
        { err: message(err), op },
        'learning from traffic failed (logged once a minute)',
      ),
    ),
  });
  return {
    hook,
    async close() {
      scorers.close();
      weights.close();
      await shadow.close();
    },
  };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function throttle<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  let last = -Infinity;
  return (...args) => {
    if (Date.now() - last < 60_000) return;
    last = Date.now();
    fn(...args);
  };
}
