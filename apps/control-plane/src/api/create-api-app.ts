import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GatewayError } from '@bascule/gateway';
import { KubeError } from '@bascule/kube';
import { STORE_RETRY_AFTER_S } from '@bascule/queue';
import { MAX_JSON_DEPTH, jsonDepth, jsonTooDeepMessage } from '@bascule/spec';
import { Counter, Histogram } from 'prom-client';
import { ApiError, sendError } from './api-error.js';
import type { ApiDeps } from './api-deps.js';
import { buildOpenApiDocument } from './openapi.js';
import { applyRoutes } from './routes/apply-routes.js';
import { capacityRoutes } from './routes/capacity-routes.js';
import { dashboardRoutes } from './routes/dashboard-routes.js';
import { serveDashboard } from './dashboard/serve-dashboard.js';
import { explainRoutes } from './routes/explain-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { keyRoutes } from './routes/key-routes.js';
import { learningRoutes } from './routes/learning-routes.js';
import { resourceRoutes } from './routes/resource-routes.js';
import { usageRoutes } from './routes/usage-routes.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The control REST API (`/api/v1/...`, `/api/openapi.json`, `/healthz`, `/readyz`, `/metrics`). */
export function createApiApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const requests = new Counter({
    name: 'bascule_api_requests_total',
    help: 'Control API requests by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [deps.registry],
  });
  const latency = new Histogram({
    name: 'bascule_api_request_duration_seconds',
    help: 'Control API request latency.',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [deps.registry],
  });

  app.use((req, res, next) => {
    const given = req.get('x-request-id');
    const id = given && REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.setHeader('x-request-id', id);
    const t0 = performance.now();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const s = (performance.now() - t0) / 1000;
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      latency.observe({ method: req.method, route }, s);
      deps.logger.info(
        {
          requestId: id,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(s * 1000),
        },
        'api request',
      );
    });
    next();
  });

  const queue = deps.queue;
  if (queue)
    app.use((req, _res, next) => {
      // The queue serves its own paths in its own (OpenAI) error shape; the rest falls through.
      if (
        !/^\/(api\/v1\/(jobs|dead-letter)|v1\/(files|batches))(\/|$)/.test(req.path) ||
        !queue.handle(req, _res)
      )
        next();
    });
  healthRoutes(app, deps);
  serveDashboard(app, deps.dashboardDir);
  const openapi = buildOpenApiDocument();
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });

  const limit = deps.maxBodyBytes ?? 1024 * 1024;
  app.use('/api/v1', express.json({ limit, type: ['application/json', '+json'], verify }));
  app.use(
    '/api/v1/apply',
    express.text({ limit: Math.max(limit, 4 * 1024 * 1024), type: () => true, verify }),
  );
  app.use('/api/v1', (req, res, next) => {
    deps.auth.verify(req.headers.authorization).then((p) => {
      res.locals.principal = p;
      next();
    }, next);
  });

  applyRoutes(app, deps);
  resourceRoutes(app, deps);
  capacityRoutes(app, deps);
  usageRoutes(app, deps);
  explainRoutes(app, deps);
  keyRoutes(app, deps);
  learningRoutes(app, deps);
  dashboardRoutes(app, deps);

  app.use((req, _res, next) => {
    next(
      new ApiError(
        404,
        'not_found',
        `no route ${req.method} ${req.path} (see GET /api/openapi.json)`,
      ),
    );
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendError(res, toApiError(err, deps));
  });
  return app;
}

/** Body check before parsing: a body nested past MAX_JSON_DEPTH is a 400, never a stack overflow. */
function verify(_req: unknown, _res: unknown, buf: Buffer): void {
  if (jsonDepth(buf.toString('utf8')) > MAX_JSON_DEPTH)
    throw new ApiError(400, 'json_too_deep', jsonTooDeepMessage());
}

/** ioredis's errors for a command that could not reach Redis (not a reply error). */
function isRedisConnectionError(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  return (
    e.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|ECONNREFUSED|ECONNRESET|Stream isn't writeable/.test(e.message ?? '')
  );
}

function toApiError(err: unknown, deps: ApiDeps): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof GatewayError)
    return new ApiError(
      err.status,
      err.code ?? 'unauthorized',
      err.message,
      undefined,
      undefined,
      err.headers,
    );
  const e = err as { type?: string; status?: number; limit?: number; message?: string };
  if (e.type === 'entity.too.large')
    return new ApiError(
      413,
      'body_too_large',
      `request body is larger than the ${e.limit ?? 0}-byte limit`,
    );
  if (e.type === 'entity.parse.failed')
    return new ApiError(400, 'invalid_json', `request body is not valid JSON: ${e.message ?? ''}`);
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.type)
    return new ApiError(e.status, 'bad_request', e.message ?? 'bad request');
  // Keys, usage and learning state live in Redis: while it is unreachable, say so (retryable).
  const redisDown = deps.redis !== undefined && deps.redis.status !== 'ready';
  if (isRedisConnectionError(err) || (redisDown && !(err instanceof KubeError)))
    return new ApiError(
      503,
      'store_unavailable',
      `the key and usage store (Redis) is unavailable; retry in ${STORE_RETRY_AFTER_S} s`,
      undefined,
      undefined,
      { 'retry-after': String(STORE_RETRY_AFTER_S) },
    );
  if (err instanceof KubeError) {
    if (err.status === 404) return new ApiError(404, 'not_found', err.message);
    if (err.status === 409) return new ApiError(409, 'conflict', err.message);
    if (err.status === 422 || err.status === 400)
      return new ApiError(422, 'rejected_by_kubernetes', err.message);
    deps.logger.error({ err: err.message }, 'kubernetes call failed');
    return new ApiError(502, 'kubernetes_unavailable', err.message);
  }
  deps.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'internal error');
  return new ApiError(500, 'internal', 'internal error (see the server log for the request id)');
}
