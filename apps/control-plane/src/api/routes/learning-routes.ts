import { DEFAULT_PREFIX, learnSpendKey, learnStatsKey } from '@bascule/keyspace';
import type { Express } from 'express';
import {
  applyExamples,
  createRedisOutcomeStore,
  createRedisWeightsStore,
  WeightsError,
  routeKey,
  type LearningScorerFactory,
  type WeightsStore,
} from '@bascule/gateway';
import { labelFromGrade, type ComplexityScorer } from '@bascule/router';
import { z } from 'zod';
import { allowQuery, nameParam, namespaceOf, requireRole } from '../access.js';
import { ApiError, parseBody } from '../api-error.js';
import { principalOf, type ApiDeps } from '../api-deps.js';

export const FeedbackRequestSchema = z.strictObject({
  requestId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'must be the x-request-id of a gateway answer' })
    .describe('The x-request-id header of the answer being graded.'),
  grade: z
    .union([z.enum(['good', 'bad']), z.number().min(0).max(1)])
    .describe('good or bad (thumbs up/down), or a quality score in [0, 1] (below 0.5 is bad).'),
});

export const RollbackRequestSchema = z.strictObject({
  to: z
    .int()
    .nonnegative()
    .optional()
    .describe('Version to restore (default: the one before the current; 0: the shipped prior).'),
});

/**
 * The scorer a learning Route scores with now (its stored weights, or the shipped prior), for
 * `route explain`; undefined for other Routes or without Redis or a learner.
 */
export async function learnedScorerFor(
  deps: ApiDeps,
  route: {
    metadata: { name: string; namespace?: string | undefined };
    spec: { learning?: unknown };
  },
): Promise<{ scorer: ComplexityScorer; version: number } | undefined> {
  if (!route.spec.learning || !deps.redis || !deps.learner) return undefined;
  const cur = await createRedisWeightsStore(deps.redis, deps.prefix ?? DEFAULT_PREFIX).current(
    routeKey(route),
  );
  return { scorer: deps.learner(cur?.state ?? undefined), version: cur?.version ?? 0 };
}

/** How long a grade is remembered as taken (one grade per request). */
const GRADED_TTL_MS = 7 * 86_400_000;

/**
 * POST /api/v1/feedback (any key: its own requests, or its tenant's for operators; admins any),
 * GET /api/v1/routes/{name}/weights and POST /api/v1/routes/{name}/rollback (admin, operator).
 */
export function learningRoutes(app: Express, deps: ApiDeps): void {
  const prefix = deps.prefix ?? DEFAULT_PREFIX;
  let weights: WeightsStore | undefined;
  const need = () => {
    if (!deps.redis)
      throw new ApiError(503, 'learning_unavailable', 'learning needs Redis (BASCULE_REDIS_URL)');
    weights ??= createRedisWeightsStore(deps.redis, prefix);
    return { redis: deps.redis, weights };
  };
  const factory = (): LearningScorerFactory => {
    if (!deps.learner)
      throw new ApiError(503, 'learning_unavailable', 'this server has no online learner');
    return deps.learner;
  };

  app.post('/api/v1/feedback', async (req, res) => {
    allowQuery(req);
    const body = parseBody(FeedbackRequestSchema, req.body);
    const { redis, weights } = need();
    const p = principalOf(res);
    const outcomes = createRedisOutcomeStore(redis, prefix);
    const o = await outcomes.get(body.requestId);
    const notFound = new ApiError(
      404,
      'request_not_found',
      `no request ${body.requestId} to grade: unknown, not served on a Route with learning, or older than the Route's learning.rememberFor`,
      '.requestId',
    );
    if (!o) throw notFound;
    if (p.role !== 'admin' && o.key !== 'anonymous' && o.key !== p.keyId) {
      const owner = p.role === 'operator' ? await deps.keys?.get(o.key) : undefined;
      // Another tenant's request is not there, as far as this key can tell.
      if (!owner || owner.tenant !== p.tenant) throw notFound;
    }
    if (!(await outcomes.claimGrade(body.requestId, GRADED_TTL_MS)))
      throw new ApiError(
        409,
        'already_graded',
        `request ${body.requestId} was graded already (one grade per request)`,
        '.requestId',
      );
    const l = labelFromGrade(o.tier, body.grade);
    const base = {
      requestId: body.requestId,
      route: o.route,
      target: o.target,
      tier: o.tier ?? null,
      ...(o.score !== undefined ? { score: o.score } : {}),
      label: l.label ?? null,
      why: l.why,
    };
    if (l.label === undefined) {
      res.json({ ...base, learned: false });
      return;
    }
    const v = await applyExamples(
      weights,
      factory(),
      o.route,
      [{ sample: o.sample, label: l.label }],
      'feedback',
    );
    res.json({ ...base, learned: true, version: v.version });
  });

  app.get('/api/v1/routes/:name/weights', async (req, res) => {
    requireRole(res, 'admin', 'operator');
    allowQuery(req, 'namespace');
    const route = `${namespaceOf(req, deps.namespace)}/${nameParam(req)}`;
    const { redis, weights } = need();
    const [current, history, stats] = await Promise.all([
      weights.version(route),
      weights.history(route),
      redis.hgetall(learnStatsKey(route, prefix)),
    ]);
    res.json({
      route,
      version: current,
      versions: history,
      shadow: Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, Number(v)])),
      spentTodayUSD: Number(
        (await redis.get(learnSpendKey(route, new Date().toISOString().slice(0, 10), prefix))) ?? 0,
      ),
    });
  });

  app.post('/api/v1/routes/:name/rollback', async (req, res) => {
    requireRole(res, 'admin', 'operator');
    allowQuery(req, 'namespace');
    const route = `${namespaceOf(req, deps.namespace)}/${nameParam(req)}`;
    const body = parseBody(RollbackRequestSchema, req.body ?? {});
    const { weights } = need();
    try {
      const v = await weights.rollback(route, body.to);
      res.json({ route, version: v.version, restored: v.source.slice('rollback:'.length) });
    } catch (err) {
      if (err instanceof WeightsError)
        throw new ApiError(err.code === 'not_found' ? 404 : 409, err.code, err.message, '.to');
      throw err;
    }
  });
}
