import { sendJson, sendText } from './http-io.js';
import type { EngineDialect } from './engine-dialect.js';
import { nowSeconds } from './request-context.js';
import { handleVllmChat } from './vllm-chat.js';
import { handleVllmCompletions } from './vllm-completions.js';
import { handleVllmEmbeddings } from './vllm-embeddings.js';
import { sendVllmError } from './vllm-errors.js';
import { LOAD_LORA_PATH, UNLOAD_LORA_PATH, handleLoraAdmin } from './vllm-lora-admin.js';
import { vllmModelList } from './vllm-models.js';

/** The vLLM version engine-sim imitates (metric names, error bodies, /version). */
export const VLLM_VERSION = '0.11.0';

const ok = (ctx: { res: import('node:http').ServerResponse }) => {
  ctx.res.writeHead(200, { 'content-length': 0 });
  ctx.res.end();
};

export const vllmDialect: EngineDialect = {
  routes: [
    { method: 'GET', path: '/health', handler: ok },
    { method: 'GET', path: '/ping', handler: ok },
    { method: 'POST', path: '/ping', handler: ok },
    {
      method: 'GET',
      path: '/version',
      handler: (ctx) => sendJson(ctx.res, 200, { version: VLLM_VERSION }),
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: (ctx) =>
        sendText(
          ctx.res,
          200,
          ctx.runtime.metricsText(),
          'text/plain; version=0.0.4; charset=utf-8',
        ),
    },
    {
      method: 'GET',
      path: '/v1/models',
      handler: (ctx) => sendJson(ctx.res, 200, vllmModelList(ctx.runtime, nowSeconds())),
    },
    { method: 'POST', path: LOAD_LORA_PATH, handler: handleLoraAdmin },
    { method: 'POST', path: UNLOAD_LORA_PATH, handler: handleLoraAdmin },
    { method: 'POST', path: '/v1/chat/completions', handler: handleVllmChat, inference: true },
    { method: 'POST', path: '/v1/completions', handler: handleVllmCompletions, inference: true },
    { method: 'POST', path: '/v1/embeddings', handler: handleVllmEmbeddings, inference: true },
  ],
  notFound: (res) => sendJson(res, 404, { detail: 'Not Found' }),
  methodNotAllowed: (res) => sendJson(res, 405, { detail: 'Method Not Allowed' }),
  invalidBody: (res, reason) =>
    reason === 'too-large'
      ? sendVllmError(res, 413, 'Request body too large.')
      : sendVllmError(res, 400, 'JSON decode error: the request body is not valid JSON.', 'body'),
  loading: (res) => sendVllmError(res, 503, 'The engine is still loading the model.'),
  internalError: (res) =>
    sendVllmError(
      res,
      500,
      'EngineCore encountered an issue. See stack trace (above) for the root cause.',
    ),
  unavailable: (res) =>
    sendVllmError(res, 503, 'The server is currently overloaded. Please try again later.'),
};
