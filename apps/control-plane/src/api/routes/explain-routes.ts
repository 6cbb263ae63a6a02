import type { Express } from 'express';
import {
  buildCatalog,
  createDefaultComplexityScorer,
  createHeuristicComplexityScorer,
  decideRoute,
  describeRequest,
  inspectPrivacy,
  scoresWithLearned,
  type ModelCapacity,
} from '@bascule/router';
import { createRedisScoreWindowStore, readThresholdInForce } from '@bascule/gateway';
import { validateResource, type Model, type Provider, type Route } from '@bascule/spec';
import { z } from 'zod';
import { allowQuery, nameParam, namespaceOf, requireRole } from '../access.js';
import { ApiError, parseBody } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';
import { crd, type KubeObject, type Plural } from '../resource-kinds.js';
import { learnedScorerFor } from './learning-routes.js';
import { call } from './resource-routes.js';

export const ExplainRequestSchema = z
  .strictObject({
    prompt: z.string().max(1_000_000).optional(),
    messages: z
      .array(z.object({ role: z.string(), content: z.unknown() }).loose())
      .max(10_000)
      .optional(),
    kind: z.enum(['chat', 'completions', 'embeddings']).default('chat'),
    max_tokens: z.int().positive().optional(),
    tools: z.array(z.unknown()).optional(),
    response_format: z.looseObject({ type: z.string() }).optional(),
    privacy: z.enum(['strict', 'standard']).default('standard'),
  })
  .refine((b) => b.prompt !== undefined || b.messages !== undefined, {
    error: 'give prompt or messages',
    path: ['prompt'],
  });

/** POST /api/v1/routes/{name}/explain: the router's decision for a sample request, not sent. */
export function explainRoutes(app: Express, deps: ApiDeps): void {
  const configured = deps.complexityScorer ?? createHeuristicComplexityScorer();
  const learnedPrior = createDefaultComplexityScorer();
  // The window the gateways share for Routes calibrated by strongShare (read only).
  const windows = deps.redis
    ? createRedisScoreWindowStore({
        redis: deps.redis,
        ...(deps.prefix ? { prefix: deps.prefix } : {}),
      })
    : undefined;
  app.post('/api/v1/routes/:name/explain', async (req, res) => {
    requireRole(res, 'admin', 'operator');
    allowQuery(req, 'namespace');
    const name = nameParam(req);
    const body = parseBody(ExplainRequestSchema, req.body);
    const namespace = namespaceOf(req, deps.namespace);
    const [routes, models, providers] = await Promise.all(
      (['routes', 'models', 'providers'] as Plural[]).map((p) => list(deps, p, namespace)),
    );
    const catalog = buildCatalog({
      routes: routes as Route[],
      models: models as Model[],
      providers: providers as Provider[],
    });
    const route = catalog.route(name);
    if (!route)
      throw new ApiError(404, 'not_found', `Route "${name}" not found in namespace ${namespace}`);
    // A Route with learning scores with its own learned weights, as the gateways do; one that
    // states a share or quality level with the learned prior (scoresWithLearned).
    const learned = await learnedScorerFor(deps, route);
    const scorer = scoresWithLearned(route.spec) ? learnedPrior : configured;
    const messages = body.messages ?? [{ role: 'user', content: body.prompt ?? '' }];
    const sample =
      body.kind === 'chat'
        ? {
            model: name,
            messages,
            ...(body.tools ? { tools: body.tools } : {}),
            ...(body.max_tokens ? { max_tokens: body.max_tokens } : {}),
            ...(body.response_format ? { response_format: body.response_format } : {}),
          }
        : {
            model: name,
            ...(body.kind === 'embeddings' ? { input: body.prompt } : { prompt: body.prompt }),
          };
    const { request } = describeRequest(sample, {
      kind: body.kind,
      scorer: learned?.scorer ?? scorer,
      explainScore: true,
      privacyStrict: body.privacy === 'strict',
      detectTraits: route.spec.targets.some((t) => t.strengths?.length),
    });
    // privacy.detect as the gateway runs it: the classes that fired and the action, not the text.
    const { verdict } = inspectPrivacy(sample, route, () => performance.now());
    // The threshold in force as the gateways see it; without Redis, the spec's (warm-up).
    const threshold =
      route.spec.strategy === 'complexity' && windows
        ? await readThresholdInForce(
            windows,
            `${namespace}/${route.metadata.name}`,
            learnedPrior.name,
            route.spec,
          ).catch(() => undefined)
        : undefined;
    const statusOf = new Map(
      (models as Model[]).map((m) => [m.metadata.name, (m as unknown as KubeObject).status]),
    );
    const decision = decideRoute({
      catalog,
      request: verdict ? { ...request, privacy: verdict } : request,
      capacity: (model) => capacityFromStatus(statusOf.get(model)),
      ...(threshold ? { threshold } : {}),
    });
    res.json({
      route: name,
      namespace,
      request: {
        kind: request.kind,
        promptTokens: request.promptTokens,
        complexity: request.complexity ?? null,
        ...(learned ? { learnedWeightsVersion: learned.version } : {}),
      },
      decision: {
        action: decision.action,
        ...(decision.action === 'send'
          ? {
              target: decision.target.name,
              targetKind: decision.target.kind,
              reason: decision.reason,
            }
          : decision.action === 'wait'
            ? {
                target: decision.target.name,
                shortage: decision.shortage,
                maxWaitMs: decision.maxWaitMs,
              }
            : { status: decision.status, code: decision.code, message: decision.message }),
      },
      explanation: decision.explanation,
    });
  });
}

async function list(deps: ApiDeps, plural: Plural, namespace: string): Promise<unknown[]> {
  const r = (await call(`list ${plural}`, () =>
    deps.kube.custom.listNamespacedCustomObject(crd(plural, namespace)),
  )) as { items: KubeObject[] };
  return r.items.flatMap((o) => {
    const v = validateResource({ ...o, metadata: { ...o.metadata, managedFields: undefined } });
    return v.status === 'valid' ? [Object.assign(v.resource, { status: o.status })] : [];
  });
}

/** Capacity as the Model's status reports it (the API has no live in-flight view). */
function capacityFromStatus(status: KubeObject['status']): ModelCapacity {
  const s = (status ?? {}) as {
    replicas?: { desired?: number; ready?: number };
    endpoints?: { ready: boolean }[];
    conditions?: { type: string; status: string }[];
  };
  const ready = (s.endpoints ?? []).filter((e) => e.ready).length;
  return {
    endpoints: ready,
    withHeadroom: ready,
    readyReplicas: s.replicas?.ready ?? 0,
    desiredReplicas: s.replicas?.desired ?? 0,
    unschedulable: (s.conditions ?? []).some(
      (c) => c.type === 'CapacityAvailable' && c.status === 'False',
    ),
  };
}
