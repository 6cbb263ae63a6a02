// type "openai": routes, bearer-key authentication and error rendering.
import type { Dialect, RouteMatch, SimContext } from '../core/dialect.js';
import { keysMatch } from '../core/dialect.js';
import { headerValue, sendJson } from '../core/http-io.js';
import { ProviderSimError } from '../core/sim-error.js';
import { handleOpenaiChat } from './openai-chat.js';
import { handleOpenaiCompletions } from './openai-completions.js';
import { handleOpenaiEmbeddings } from './openai-embeddings.js';
import { openaiErrorBody, writeOpenaiStreamError } from './openai-errors.js';

const CREATED = 1_700_000_000;

function modelObject(id: string): Record<string, unknown> {
  return { id, object: 'model', created: CREATED, owned_by: 'provider-sim' };
}

function listModels(ctx: SimContext): Promise<void> {
  sendJson(ctx.res, 200, { object: 'list', data: ctx.models.map(modelObject) }, ctx.headers);
  return Promise.resolve();
}

function getModel(ctx: SimContext): Promise<void> {
  const id = decodeURIComponent(ctx.url.pathname.slice('/v1/models/'.length));
  if (!ctx.models.includes(id)) {
    throw new ProviderSimError({
      status: 404,
      kind: 'not_found',
      message: `The model '${id}' does not exist`,
      param: 'model',
      code: 'model_not_found',
    });
  }
  sendJson(ctx.res, 200, modelObject(id), ctx.headers);
  return Promise.resolve();
}

const POST_ROUTES: Record<string, (ctx: SimContext) => Promise<void>> = {
  '/v1/chat/completions': handleOpenaiChat,
  '/v1/completions': handleOpenaiCompletions,
  '/v1/embeddings': handleOpenaiEmbeddings,
};

function route(method: string, pathname: string): RouteMatch {
  const post = POST_ROUTES[pathname];
  if (post) return method === 'POST' ? { body: true, handle: post } : 'method_not_allowed';
  if (pathname === '/v1/models')
    return method === 'GET' ? { body: false, handle: listModels } : 'method_not_allowed';
  if (pathname.startsWith('/v1/models/'))
    return method === 'GET' ? { body: false, handle: getModel } : 'method_not_allowed';
  return undefined;
}

export const openaiDialect: Dialect = {
  type: 'openai',
  defaultModels: [
    'gpt-5',
    'gpt-5-mini',
    'gpt-5-nano',
    'gpt-4.1',
    'gpt-4.1-mini',
    'gpt-4o',
    'gpt-4o-mini',
    'gpt-3.5-turbo-instruct',
    'text-embedding-3-small',
    'text-embedding-3-large',
  ],
  defaultContextWindow: 128_000,
  requestIdHeader: 'x-request-id',
  requestIdPrefix: 'req_',
  route,
  authenticate(req, _url, apiKey) {
    const auth = headerValue(req, 'authorization');
    const match = auth ? /^Bearer\s+(.+)$/i.exec(auth.trim()) : null;
    if (!match?.[1]) {
      return {
        status: 401,
        kind: 'authentication',
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      };
    }
    if (!keysMatch(match[1], apiKey)) {
      return {
        status: 401,
        kind: 'authentication',
        message: 'Incorrect API key provided.',
        code: 'invalid_api_key',
      };
    }
    return undefined;
  },
  renderError: (spec) => ({ body: openaiErrorBody(spec) }),
  writeStreamError: writeOpenaiStreamError,
};
