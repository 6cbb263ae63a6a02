import type { ServerResponse } from 'node:http';
import { sendJson, sendText } from './http-io.js';
import type { EngineDialect } from './engine-dialect.js';
import { handleTgiChat } from './tgi-chat.js';
import { sendTgiError } from './tgi-errors.js';
import { handleTgiGenerate } from './tgi-generate.js';
import { tgiInfo } from './tgi-info.js';

const empty = (res: ServerResponse, status: number) => {
  res.writeHead(status, { 'content-length': 0 });
  res.end();
};

export const tgiDialect: EngineDialect = {
  routes: [
    { method: 'GET', path: '/health', handler: (ctx) => empty(ctx.res, 200) },
    {
      method: 'GET',
      path: '/info',
      handler: (ctx) => sendJson(ctx.res, 200, tgiInfo(ctx.runtime)),
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: (ctx) => sendText(ctx.res, 200, ctx.runtime.metricsText()),
    },
    {
      method: 'GET',
      path: '/v1/models',
      handler: (ctx) =>
        sendJson(ctx.res, 200, {
          object: 'list',
          data: [
            {
              id: ctx.runtime.config.model,
              object: 'model',
              created: 0,
              owned_by: ctx.runtime.config.model,
            },
          ],
        }),
    },
    { method: 'POST', path: '/', handler: (ctx) => handleTgiGenerate(ctx), inference: true },
    {
      method: 'POST',
      path: '/generate',
      handler: (ctx) => handleTgiGenerate(ctx, false),
      inference: true,
    },
    {
      method: 'POST',
      path: '/generate_stream',
      handler: (ctx) => handleTgiGenerate(ctx, true),
      inference: true,
    },
    { method: 'POST', path: '/v1/chat/completions', handler: handleTgiChat, inference: true },
  ],
  notFound: (res) => empty(res, 404),
  methodNotAllowed: (res) => empty(res, 405),
  invalidBody: (res, reason) =>
    reason === 'too-large'
      ? sendTgiError(res, 413, 'Payload Too Large', 'validation')
      : sendTgiError(res, 422, 'Failed to parse the request body as JSON', 'validation'),
  loading: (res) => sendTgiError(res, 503, 'unhealthy', 'healthcheck'),
  internalError: (res) =>
    sendTgiError(
      res,
      424,
      'Request failed during generation: Server error: CUDA error: an illegal memory access was encountered',
      'generation',
    ),
  unavailable: (res) => sendTgiError(res, 503, 'Model is loading or unavailable', 'unavailable'),
};
