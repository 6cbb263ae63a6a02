import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { createProviderClient, type ProviderClient, type SecretSource } from '@bascule/providers';
import {
  createDefaultComplexityScorer,
  type ComplexityScorer,
  type RequestKind,
} from '@bascule/router';
import { HashRing } from '../balance/hash-ring.js';
import { RouteCalibrator } from '../calibration/route-calibrator.js';
import {
  createMemoryScoreWindowStore,
  type ScoreWindowStore,
} from '../calibration/score-window-store.js';
import {
  createMemoryRouteBudgetLedger,
  type RouteBudgetLedger,
} from '../budgets/route-budget-ledger.js';
import type { EndpointStore } from '../endpoints/endpoint-store.js';
import { EndpointTracker } from '../endpoints/endpoint-tracker.js';
import { createModelStatusEndpointStore } from '../endpoints/model-status-endpoints.js';
import { readmitOnReady } from '../endpoints/readmit-on-ready.js';
import type { ResponseStore } from '../dialects/openai-responses/response-store.js';
import { createDialectRoutes } from '../dialects/serve-dialects.js';
import { newRequestId } from '../http/request-id.js';
import { servePost } from '../http/serve-post.js';
import { routesUntranslatedTo } from '@bascule/router';
import { PRIVACY_HEADER } from '@bascule/spec';
import { GatewayError } from '../errors/gateway-error.js';
import type { Tracer } from '@opentelemetry/api';
import type { AccessLog } from '../access-log/access-log.js';
import type { LearningHook } from '../learning/learning-hook.js';
import { GatewayMetrics } from '../metering/gateway-metrics.js';
import { nullUsageSink, type UsageRecord, type UsageSink } from '../metering/usage-record.js';
import { listModels } from '../models/list-models.js';
import { handleInference, type InferenceDeps } from '../proxy/handle-inference.js';
import { ANONYMOUS, type Authenticate } from '../proxy/principal.js';
import { ProviderResolver } from '../proxy/provider-resolver.js';
import { writeError, writeJsonText } from '../proxy/response-writer.js';
import { addResponseHeader } from '../http/response-headers.js';
import type { ResourceSource } from '../resources/resource-source.js';
import { createEngineClient, type EngineClient } from '../upstream/engine-client.js';

export interface GatewayOptions {
  resources: ResourceSource;
  /** Provider API keys (Kubernetes Secrets in a cluster). */
  secrets: SecretSource;
  /** Default: each Model's status.endpoints. */
  endpoints?: EndpointStore;
  providerClient?: ProviderClient;
  engineClient?: EngineClient;
  scorer?: ComplexityScorer;
  usage?: UsageSink;
  authenticate?: Authenticate;
  /** Closed-API spend per Route for Route budgets (default: this process's own count; pass
   *  createRedisRouteBudgetLedger to share it between replicas). */
  routeBudgets?: RouteBudgetLedger;
  /** Recent complexity scores of Routes calibrated by share (default: this process's own;
   *  pass createRedisScoreWindowStore to share them between replicas). */
  scoreWindows?: ScoreWindowStore;
  /** A failed exchange with scoreWindows (the Route goes on with its last window). */
  onScoreWindowError?: (err: unknown) => void;
  /** Passive-health cooldown of a failing endpoint (default 10 s). */
  ejectMs?: number;
  /** Largest request body (default 16 MiB). */
  maxBodyBytes?: number;
  /** Also called for every metered request (tests, logs). */
  onUsage?: (r: UsageRecord) => void;
  now?: () => number;
  /** Register the gateway's metrics here (e.g. the process's shared registry). */
  registry?: Registry;
  /** Learning from traffic (Routes with `learning`): outcomes, shadow jobs, learned scorers. */
  learning?: LearningHook;
  /** Stored Responses for /v1/responses (createRedisResponseStore to share them between
   *  replicas); absent, `store: true` and `previous_response_id` are refused with a 400. */
  responseStore?: ResponseStore;
  /** One JSON line per request (createAccessLog); absent: no access log. */
  accessLog?: AccessLog;
  /** Set only when tracing is on (a span per request); absent: no span is made. */
  tracer?: Tracer;
}

export interface Gateway {
  /** Serves /v1/*: a plain node:http handler (no framework on the hot path). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  metrics: GatewayMetrics;
  tracker: EndpointTracker;
  /** Complexity thresholds of calibrated Routes (flush() shares pending scores now). */
  calibrator: RouteCalibrator;
  close(): Promise<void>;
}

const ROUTES: Record<string, RequestKind> = {
  '/v1/chat/completions': 'chat',
  '/v1/completions': 'completions',
  '/v1/embeddings': 'embeddings',
};

export function createGateway(options: GatewayOptions): Gateway {
  const tracker = new EndpointTracker({ ejectMs: options.ejectMs, now: options.now });
  const ownStore = options.endpoints
    ? undefined
    : createModelStatusEndpointStore(options.resources);
  const store = options.endpoints ?? ownStore!;
  // Readmit before waking waiters, so they see an endpoint that came back.
  const offReadmit = readmitOnReady(store, tracker);
  const offStore = store.onChange((m) => tracker.wake(m));
  const ownProviders = options.providerClient === undefined;
  const providerClient = options.providerClient ?? createProviderClient();
  const ownEngine = options.engineClient === undefined;
  const engine = options.engineClient ?? createEngineClient();
  const resolver = new ProviderResolver(options.secrets);
  const usage = options.usage ?? nullUsageSink;
  const metrics = new GatewayMetrics(() => tracker.allModelInFlight(), options.registry);
  const rings = new Map<string, HashRing>();
  let tick = 0;
  let closed = false;
  const learnedScorer = createDefaultComplexityScorer();
  const scorer = options.scorer ?? learnedScorer;
  const calibrator = new RouteCalibrator({
    store: options.scoreWindows ?? createMemoryScoreWindowStore(),
    // Routes calibrated by share always score with the learned scorer (scoresWithLearned).
    scorer: learnedScorer.name,
    ...(options.onScoreWindowError ? { onError: options.onScoreWindowError } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const deps: InferenceDeps = {
    resources: options.resources,
    scorer,
    learnedScorer,
    calibrator,
    authenticate: options.authenticate,
    ...(options.tracer ? { tracer: options.tracer } : {}),
    ...(options.accessLog?.prompts ? { logPrompts: true } : {}),
    ...(options.learning ? { learning: options.learning } : {}),
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
    routeBudgets: options.routeBudgets ?? createMemoryRouteBudgetLedger(),
    store,
    tracker,
    engine,
    client: providerClient,
    resolver,
    tick: () => tick++,
    ring(ids) {
      const key = ids.join(',');
      let r = rings.get(key);
      if (!r) {
        if (rings.size > 256) rings.clear();
        rings.set(key, (r = new HashRing(ids)));
      }
      return r;
    },
    meter(r, prompt) {
      metrics.record(r);
      usage.record(r);
      options.accessLog?.record(r, prompt);
      options.onUsage?.(r);
    },
  };
  const dialects = createDialectRoutes({
    infer: (req, res, dialect) => handleInference('chat', req, res, deps, dialect),
    ...(options.authenticate ? { authenticate: options.authenticate } : {}),
    maxBodyBytes: deps.maxBodyBytes,
    ...(options.responseStore ? { responses: options.responseStore } : {}),
    routesOnlyTo: (model, type) =>
      routesUntranslatedTo(options.resources.snapshot().catalog, model, type),
  });
  const inflightTimer = setInterval(
    () => usage.reportInFlight?.(tracker.demand(), tracker.overflowDemand()),
    1000,
  );
  inflightTimer.unref();

  function handle(req: IncomingMessage, res: ServerResponse): void {
    // Every answer names its request (the openai SDKs expose it as _request_id): the id a
    // client quotes to POST /api/v1/feedback. Never taken from the client: ids must not collide.
    addResponseHeader(res, 'x-request-id', newRequestId());
    const path = pathOf(req.url ?? '/');
    const kind = ROUTES[path];
    const none = { target: 'none', reason: 'none', overheadMs: 0 };
    if (kind !== undefined) {
      servePost(req, res, path, () => handleInference(kind, req, res, deps));
      return;
    }
    if (path === '/v1/models' && req.method === 'GET') {
      void serveModels(req, res);
      return;
    }
    if (dialects(req, res, path)) return;
    writeError(
      res,
      new GatewayError({
        status: 404,
        code: 'not_found',
        message: `no route ${req.method ?? ''} ${path} (the gateway serves /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/messages, /v1/responses and /v1/models)`,
      }),
      none,
    );
  }

  async function serveModels(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const h = { target: 'none', reason: 'models', overheadMs: 0 };
    try {
      // A listing only identifies the caller: it takes no rate slot and reserves no budget.
      const principal = options.authenticate
        ? await options.authenticate(req, 'identify')
        : ANONYMOUS;
      const strict = req.headers[PRIVACY_HEADER] === 'strict';
      writeJsonText(
        res,
        200,
        JSON.stringify(listModels(options.resources.snapshot(), principal, strict)),
        h,
      );
    } catch (err) {
      writeError(res, err, h);
    }
  }

  return {
    handle,
    metrics,
    tracker,
    calibrator,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(inflightTimer);
      options.accessLog?.flush();
      calibrator.close();
      offStore();
      offReadmit();
      ownStore?.close();
      resolver.close();
      await usage.close();
      if (ownEngine) await engine.close();
      if (ownProviders) await providerClient.close();
    },
  };
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
