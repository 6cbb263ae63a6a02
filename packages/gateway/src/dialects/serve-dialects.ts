import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';
import { readBody } from '../http/read-body.js';
import { servePost } from '../http/serve-post.js';
import { ANONYMOUS, type Authenticate, type Principal } from '../proxy/principal.js';
import { writeError, writeJsonText, type RouteHeaders } from '../proxy/response-writer.js';
import { apiKeyAsBearer } from './anthropic-messages/api-key-header.js';
import { anthropicMessagesDialect } from './anthropic-messages/anthropic-messages-dialect.js';
import { countTokens } from './anthropic-messages/count-tokens.js';
import type { AcceptContext, Dialect } from './core/dialect.js';
import { parseJsonText } from '../validate/parse-request.js';
import { createOpenAIResponsesDialect } from './openai-responses/openai-responses-dialect.js';
import type { ResponseStore } from './openai-responses/response-store.js';
import { addResponseHeader, responseHeader } from '../http/response-headers.js';

export interface DialectDeps {
  /** The gateway's inference path (admission, routing, metering), with a dialect. */
  infer(req: IncomingMessage, res: ServerResponse, dialect: Dialect): Promise<void>;
  authenticate?: Authenticate;
  maxBodyBytes: number;
  /** Stored Responses (absent: `store` and `previous_response_id` are refused). */
  responses?: ResponseStore;
  /** Whether a model name reaches only Providers of a type (for count_tokens, as infer). */
  routesOnlyTo?: AcceptContext['routesOnlyTo'];
}

const NONE: RouteHeaders = { target: 'none', reason: 'none', overheadMs: 0 };
const RESPONSE_ID = /^\/v1\/responses\/([A-Za-z0-9_-]{1,128})$/;

/**
 * The APIs the gateway speaks besides OpenAI's chat (/v1/messages, /v1/messages/count_tokens,
 * /v1/responses, /v1/responses/{id}). Returns false for any other path.
 */
export function createDialectRoutes(
  deps: DialectDeps,
): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  const responses = createOpenAIResponsesDialect(deps.responses);

  async function admit(req: IncomingMessage): Promise<Principal> {
    return deps.authenticate ? deps.authenticate(req) : ANONYMOUS;
  }

  async function serveCountTokens(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const principal = await admit(req);
    const body = parseJsonText(await readBody(req, deps.maxBodyBytes));
    const counted = countTokens(body, {
      headers: req.headers,
      key: principal.keyId,
      ...(deps.routesOnlyTo ? { routesOnlyTo: deps.routesOnlyTo } : {}),
    });
    if (principal.allowedModels && !principal.allowedModels.includes(counted.model))
      throw new GatewayError({
        status: 403,
        code: 'model_not_allowed',
        param: 'model',
        message: `this API key may not use model '${counted.model}'`,
      });
    writeJsonText(res, 200, JSON.stringify({ input_tokens: counted.input_tokens }), {
      ...NONE,
      reason: 'count-tokens',
    });
  }

  async function serveStored(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const principal = await admit(req);
    const notFound = new GatewayError({
      status: 404,
      code: 'response_not_found',
      param: 'response_id',
      message: deps.responses
        ? `No response found with id '${id}'.`
        : 'stored responses are not enabled on this gateway',
    });
    const stored = await deps.responses?.get(id);
    // Another key's response is as absent as a missing one.
    if (!stored || stored.key !== principal.keyId) throw notFound;
    const h = { ...NONE, reason: 'stored-response' };
    if (req.method === 'GET') writeJsonText(res, 200, JSON.stringify(stored.response), h);
    else {
      await deps.responses!.delete(id);
      writeJsonText(res, 200, JSON.stringify({ id, object: 'response', deleted: true }), h);
    }
  }

  return (req, res, path) => {
    if (path === '/v1/messages' || path === '/v1/messages/count_tokens') {
      apiKeyAsBearer(req);
      addResponseHeader(res, 'request-id', responseHeader(res, 'x-request-id') ?? '');
      const d = anthropicMessagesDialect;
      servePost(
        req,
        res,
        path,
        () => (path === '/v1/messages' ? deps.infer(req, res, d) : serveCountTokens(req, res)),
        d,
      );
      return true;
    }
    if (path === '/v1/responses') {
      servePost(req, res, path, () => deps.infer(req, res, responses), responses);
      return true;
    }
    const m = RESPONSE_ID.exec(path);
    if (m && (req.method === 'GET' || req.method === 'DELETE')) {
      serveStored(req, res, m[1]!).catch((err: unknown) => {
        if (!res.headersSent) writeError(res, err, NONE);
        else res.destroy();
      });
      return true;
    }
    return false;
  };
}
