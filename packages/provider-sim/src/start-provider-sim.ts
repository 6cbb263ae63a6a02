// provider-sim: one node:http server speaking one closed API's wire format.
import {
  loadJudgeLabels,
  type JudgeLabels,
  type QualityTier,
  createRng,
  hashString,
  randomId,
  listenOn,
} from '@bascule/engine-sim';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { anthropicDialect } from './anthropic/anthropic-dialect.js';
import { handleAdmin } from './core/admin-routes.js';
import type { Dialect, SimContext } from './core/dialect.js';
import { DEFAULT_TEXT_LENGTH } from './core/generate-text.js';
import { readBody, sendJson, sleep } from './core/http-io.js';
import { ProviderSimError, invalidRequest, type SimErrorSpec } from './core/sim-error.js';
import { SimState } from './core/sim-state.js';
import { loadTokenCounter, type TokenCounter } from './core/token-counter.js';
import { geminiDialect } from './gemini/gemini-dialect.js';
import { openaiDialect } from './openai/openai-dialect.js';
import type { ProviderSimOptions, RunningProviderSim } from './types.js';
import { validateFaults, validateOptions } from './validate-options.js';

const DIALECTS: Record<ProviderSimOptions['type'], Dialect> = {
  openai: openaiDialect,
  anthropic: anthropicDialect,
  gemini: geminiDialect,
};

/** The models each type offers when `options.models` is absent. */
export const PROVIDER_SIM_DEFAULT_MODELS: Record<ProviderSimOptions['type'], readonly string[]> = {
  openai: openaiDialect.defaultModels,
  anthropic: anthropicDialect.defaultModels,
  gemini: geminiDialect.defaultModels,
};

interface ServerDeps {
  options: ProviderSimOptions;
  dialect: Dialect;
  state: SimState;
  tokens: TokenCounter;
  nextRequest: () => number;
  judge?: { labels: JudgeLabels; tier: QualityTier };
}

function sendError(
  res: ServerResponse,
  dialect: Dialect,
  spec: SimErrorSpec,
  base: Record<string, string>,
): void {
  if (res.headersSent) {
    if (!res.writableEnded) {
      dialect.writeStreamError(res, spec);
      res.end();
    }
    return;
  }
  const rendered = dialect.renderError(
    spec,
    dialect.requestIdHeader ? base[dialect.requestIdHeader] : undefined,
  );
  const headers: Record<string, string> = { ...base, ...rendered.headers };
  if (spec.retryAfterSeconds !== undefined) headers['retry-after'] = String(spec.retryAfterSeconds);
  sendJson(res, spec.status, rendered.body, headers);
}

async function parseJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === '')
    throw invalidRequest('The request body is empty; expected a JSON object.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidRequest('We could not parse the JSON body of your request: it is not valid JSON.');
  }
}

async function handleRequest(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { options, dialect, state } = deps;
  const url = new URL(req.url ?? '/', 'http://provider-sim.local');
  if (url.pathname.startsWith('/_sim/')) return handleAdmin(req, res, url.pathname, state);

  state.recordRequest(url.pathname);
  const rng = createRng(hashString(options.seed ?? 0, 'request', deps.nextRequest()));
  const headers: Record<string, string> = {};
  if (dialect.requestIdHeader)
    headers[dialect.requestIdHeader] = randomId(rng, dialect.requestIdPrefix);
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  try {
    const route = dialect.route(req.method ?? 'GET', url.pathname);
    if (route === undefined) {
      throw new ProviderSimError({
        status: 404,
        kind: 'not_found',
        message: `Invalid URL (${req.method ?? 'GET'} ${url.pathname})`,
      });
    }
    if (route === 'method_not_allowed') {
      throw new ProviderSimError({
        status: 405,
        kind: 'method_not_allowed',
        message: `Method ${req.method ?? ''} not allowed on ${url.pathname}`,
      });
    }
    const denied = dialect.authenticate(req, url, options.apiKey) ?? dialect.precheck?.(req);
    if (denied) throw new ProviderSimError(denied);
    const wait = (ms: number): Promise<boolean> =>
      ms > 0 ? (options.sleep ?? sleep)(ms, abort.signal) : Promise.resolve(!abort.signal.aborted);
    const faults = state.faults();
    if (faults.hangMs && !(await wait(faults.hangMs))) return;
    const fault = state.drawFault();
    if (fault) throw new ProviderSimError(fault);
    const body = route.body ? await parseJsonBody(req) : undefined;
    if (body !== undefined) {
      const { 'anthropic-beta': beta, traceparent } = req.headers;
      state.recordBody(url.pathname, body, {
        ...(typeof beta === 'string' ? { anthropicBeta: beta } : {}),
        ...(typeof traceparent === 'string' ? { traceparent } : {}),
      });
    }
    const latency = {
      firstTokenMs: options.latency?.firstTokenMs ?? 0,
      perTokenMs: options.latency?.perTokenMs ?? 0,
    };
    const ctx: SimContext = {
      req,
      res,
      url,
      body,
      signal: abort.signal,
      seed: options.seed ?? 0,
      tokens: deps.tokens,
      textLength: options.outputTokens ?? DEFAULT_TEXT_LENGTH,
      models: options.models ?? dialect.defaultModels,
      failAfterFirstChunk: faults.failAfterFirstChunk ?? false,
      ...(deps.judge ? { judge: deps.judge } : {}),
      rng,
      headers,
      recordUsage: (i, o) => state.recordUsage(i, o),
      contextWindow: (model) => {
        const window = options.contextWindow;
        if (typeof window === 'number') return window;
        return window?.[model] ?? dialect.defaultContextWindow;
      },
      waitFirstToken: () => wait(latency.firstTokenMs),
      waitNextToken: () => wait(latency.perTokenMs),
      waitWhole: (n) => wait(latency.firstTokenMs + latency.perTokenMs * Math.max(0, n - 1)),
    };
    await route.handle(ctx);
  } catch (err) {
    const spec: SimErrorSpec =
      err instanceof ProviderSimError
        ? err.spec
        : {
            status: 500,
            kind: 'server',
            message: 'The server had an error while processing your request.',
          };
    if (!(err instanceof ProviderSimError))
      process.stderr.write(`provider-sim: internal error: ${String(err)}\n`);
    sendError(res, dialect, spec, headers);
  }
}

export async function startProviderSim(options: ProviderSimOptions): Promise<RunningProviderSim> {
  validateOptions(options);
  const dialect = DIALECTS[options.type];
  const state = new SimState(options.seed ?? 0, options.faults);
  const tokens = await loadTokenCounter();
  let counter = 0;
  const labels =
    typeof options.judgeLabels === 'string'
      ? loadJudgeLabels(options.judgeLabels)
      : options.judgeLabels;
  const deps: ServerDeps = {
    options,
    dialect,
    state,
    tokens,
    nextRequest: () => counter++,
    ...(labels ? { judge: { labels, tier: options.qualityTier ?? 'strong' } } : {}),
  };
  const server = createServer((req, res) => {
    handleRequest(deps, req, res).catch((err: unknown) => {
      process.stderr.write(`provider-sim: ${String(err)}\n`);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  const bound = await listenOn(server, options.port ?? 0, host);
  return {
    url: `http://${bound.host}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    stats: () => state.stats(),
    received: () => state.received(),
    resetStats: () => state.resetStats(),
    setFaults: (f) => state.setFaults(validateFaults(f)),
  };
}
