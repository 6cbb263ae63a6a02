// type "gemini": /v1beta/models/{m}:generateContent | :streamGenerateContent | :countTokens |
// :embedContent | :batchEmbedContents, GET /v1beta/models[/{m}] (also under /v1/).
// Key in x-goog-api-key or ?key=.
import type { Dialect, RouteMatch, SimContext } from '../core/dialect.js';
import { keysMatch } from '../core/dialect.js';
import { headerValue, sendJson } from '../core/http-io.js';
import { parseBody } from '../core/parse-body.js';
import { invalidRequest } from '../core/sim-error.js';
import { handleGeminiEmbed } from './gemini-embed.js';
import { geminiErrorBody, writeGeminiStreamError } from './gemini-errors.js';
import { handleGeminiGenerate } from './gemini-generate.js';
import { contentText, requireGeminiModel } from './gemini-prompt.js';
import { countTokensRequestSchema, formatGeminiIssue } from './gemini-schemas.js';

const PATH = /^\/(v1beta|v1|v1alpha)\/models(?:\/([^/:]+)(?::([A-Za-z]+))?)?$/;

function modelObject(id: string): Record<string, unknown> {
  const embedding = id.includes('embedding');
  return {
    name: `models/${id}`,
    version: '001',
    displayName: id,
    description: `${id} (provider-sim)`,
    inputTokenLimit: embedding ? 2048 : 1048576,
    outputTokenLimit: embedding ? 1 : 65536,
    supportedGenerationMethods: embedding
      ? ['embedContent', 'batchEmbedContents']
      : ['generateContent', 'countTokens'],
  };
}

function countTokens(ctx: SimContext, model: string, version: string): Promise<void> {
  requireGeminiModel(model, ctx.models, 'countTokens', version);
  const body = parseBody(countTokensRequestSchema, ctx.body, formatGeminiIssue);
  const contents = body.contents ?? body.generateContentRequest?.contents ?? [];
  const totalTokens = contents.reduce((sum, c) => sum + ctx.tokens.count(contentText(c)), 0);
  sendJson(
    ctx.res,
    200,
    { totalTokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }] },
    ctx.headers,
  );
  return Promise.resolve();
}

function route(method: string, pathname: string): RouteMatch {
  const match = PATH.exec(pathname);
  if (!match) return undefined;
  const version = match[1] ?? 'v1beta';
  const model = match[2] ? decodeURIComponent(match[2]) : undefined;
  const action = match[3];
  if (model === undefined) {
    if (method !== 'GET') return 'method_not_allowed';
    return {
      body: false,
      handle: (ctx) =>
        Promise.resolve(
          sendJson(ctx.res, 200, { models: ctx.models.map(modelObject) }, ctx.headers),
        ),
    };
  }
  if (action === undefined) {
    if (method !== 'GET') return 'method_not_allowed';
    return {
      body: false,
      handle: (ctx) => {
        requireGeminiModel(model, ctx.models, 'get', version);
        sendJson(ctx.res, 200, modelObject(model), ctx.headers);
        return Promise.resolve();
      },
    };
  }
  const handlers: Record<string, (ctx: SimContext) => Promise<void>> = {
    generateContent: (ctx) => handleGeminiGenerate(ctx, model, version, false),
    streamGenerateContent: (ctx) => handleGeminiGenerate(ctx, model, version, true),
    countTokens: (ctx) => countTokens(ctx, model, version),
    embedContent: (ctx) => handleGeminiEmbed(ctx, model, version, false),
    batchEmbedContents: (ctx) => handleGeminiEmbed(ctx, model, version, true),
  };
  const handle = handlers[action];
  if (!handle) {
    return {
      body: false,
      handle: () => Promise.reject(invalidRequest(`Unknown method: ${action}`)),
    };
  }
  return method === 'POST' ? { body: true, handle } : 'method_not_allowed';
}

export const geminiDialect: Dialect = {
  type: 'gemini',
  defaultModels: [
    'gemini-2.5-flash',
    'gemini-2.5-pro',
    'gemini-2.5-flash-lite',
    'gemini-2.0-flash',
    'gemini-flash-latest',
    'gemini-embedding-001',
    'text-embedding-004',
  ],
  defaultContextWindow: 1_048_576,
  requestIdPrefix: '',
  route,
  authenticate(req, url, apiKey) {
    const key = headerValue(req, 'x-goog-api-key') ?? url.searchParams.get('key') ?? undefined;
    if (!key) {
      return {
        status: 403,
        kind: 'permission',
        message:
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      };
    }
    if (!keysMatch(key, apiKey)) {
      return {
        status: 401,
        kind: 'authentication',
        message: 'API key not valid. Please pass a valid API key.',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
        ],
      };
    }
    return undefined;
  },
  renderError: (spec) => ({ body: geminiErrorBody(spec) }),
  writeStreamError: writeGeminiStreamError,
};
