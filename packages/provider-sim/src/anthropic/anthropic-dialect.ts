// type "anthropic": /v1/messages (+ count_tokens), /v1/models; x-api-key and anthropic-version.
import type { Dialect, RouteMatch, SimContext } from '../core/dialect.js';
import { keysMatch } from '../core/dialect.js';
import { headerValue, sendJson } from '../core/http-io.js';
import { parseBody } from '../core/parse-body.js';
import { ProviderSimError } from '../core/sim-error.js';
import { anthropicErrorBody, writeAnthropicStreamError } from './anthropic-errors.js';
import { handleAnthropicMessages } from './anthropic-messages.js';
import { anthropicPrompt, requireAnthropicModel } from './anthropic-prompt.js';
import { countTokensRequestSchema, formatAnthropicIssue } from './anthropic-schemas.js';

const CREATED_AT = '2025-01-01T00:00:00Z';

function modelObject(id: string): Record<string, unknown> {
  return { type: 'model', id, display_name: id, created_at: CREATED_AT };
}

function countTokens(ctx: SimContext): Promise<void> {
  const body = parseBody(countTokensRequestSchema, ctx.body, formatAnthropicIssue);
  requireAnthropicModel(body.model, ctx.models);
  const prompt = anthropicPrompt(body);
  sendJson(
    ctx.res,
    200,
    { input_tokens: ctx.tokens.count(prompt.inputText) + prompt.framingTokens },
    ctx.headers,
  );
  return Promise.resolve();
}

function listModels(ctx: SimContext): Promise<void> {
  const data = ctx.models.map(modelObject);
  sendJson(
    ctx.res,
    200,
    {
      data,
      has_more: false,
      first_id: data.length ? ctx.models[0] : null,
      last_id: data.length ? ctx.models[ctx.models.length - 1] : null,
    },
    ctx.headers,
  );
  return Promise.resolve();
}

function getModel(ctx: SimContext): Promise<void> {
  const id = decodeURIComponent(ctx.url.pathname.slice('/v1/models/'.length));
  if (!ctx.models.includes(id))
    throw new ProviderSimError({ status: 404, kind: 'not_found', message: `model: ${id}` });
  sendJson(ctx.res, 200, modelObject(id), ctx.headers);
  return Promise.resolve();
}

function route(method: string, pathname: string): RouteMatch {
  const post = (handle: (ctx: SimContext) => Promise<void>): RouteMatch =>
    method === 'POST' ? { body: true, handle } : 'method_not_allowed';
  const get = (handle: (ctx: SimContext) => Promise<void>): RouteMatch =>
    method === 'GET' ? { body: false, handle } : 'method_not_allowed';
  if (pathname === '/v1/messages') return post(handleAnthropicMessages);
  if (pathname === '/v1/messages/count_tokens') return post(countTokens);
  if (pathname === '/v1/models') return get(listModels);
  if (pathname.startsWith('/v1/models/')) return get(getModel);
  return undefined;
}

export const anthropicDialect: Dialect = {
  type: 'anthropic',
  defaultModels: ['claude-sonnet-4-6', 'claude-haiku-4-5', 'claude-opus-4-6'],
  defaultContextWindow: 200_000,
  requestIdHeader: 'request-id',
  requestIdPrefix: 'req_011C',
  route,
  authenticate(req, _url, apiKey) {
    const bearer = /^Bearer\s+(.+)$/i.exec(headerValue(req, 'authorization')?.trim() ?? '')?.[1];
    const key = headerValue(req, 'x-api-key') ?? bearer;
    if (!key)
      return { status: 401, kind: 'authentication', message: 'x-api-key header is required' };
    if (!keysMatch(key, apiKey))
      return { status: 401, kind: 'authentication', message: 'invalid x-api-key' };
    return undefined;
  },
  precheck(req) {
    if (!headerValue(req, 'anthropic-version')) {
      return {
        status: 400,
        kind: 'invalid_request',
        message: 'anthropic-version: header is required',
      };
    }
    return undefined;
  },
  renderError: (spec, requestId) => ({
    body: anthropicErrorBody(spec, requestId),
    headers: spec.status === 429 || spec.status >= 500 ? { 'x-should-retry': 'true' } : undefined,
  }),
  writeStreamError: writeAnthropicStreamError,
};
