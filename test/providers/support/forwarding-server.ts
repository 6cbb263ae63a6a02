import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  parseChatCompletionRequest,
  parseCompletionRequest,
  parseEmbeddingRequest,
  ProviderError,
  type ProviderClient,
  type ResolvedProvider,
} from '@bascule/providers';

export interface ForwardingServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A tiny OpenAI-compatible server that forwards every request through one provider adapter:
 * what an OpenAI SDK client receives from it is exactly what the adapter produced.
 */
export async function startForwardingServer(opts: {
  client: ProviderClient;
  provider: ResolvedProvider;
  model: string;
}): Promise<ForwardingServer> {
  const server: Server = createServer((req, res) => {
    handle(opts, req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, toProviderError(err));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  opts: { client: ProviderClient; provider: ResolvedProvider; model: string },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const ac = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) ac.abort();
  });
  const { client, provider, model } = opts;
  const body: unknown = JSON.parse(Buffer.concat(chunks).toString() || '{}');
  switch (req.url) {
    case '/v1/chat/completions': {
      const r = await client.chat(provider, model, parseChatCompletionRequest(body), {
        signal: ac.signal,
      });
      return r.stream ? writeStream(res, r.chunks) : sendJson(res, 200, r.response);
    }
    case '/v1/completions': {
      const r = await client.completion(provider, model, parseCompletionRequest(body), {
        signal: ac.signal,
      });
      return r.stream ? writeStream(res, r.chunks) : sendJson(res, 200, r.response);
    }
    case '/v1/embeddings':
      return sendJson(
        res,
        200,
        await client.embeddings(provider, model, parseEmbeddingRequest(body), {
          signal: ac.signal,
        }),
      );
    default:
      return sendError(
        res,
        new ProviderError({ status: 404, retryable: false, message: `no route ${req.url ?? ''}` }),
      );
  }
}

async function writeStream(res: ServerResponse, chunks: AsyncIterable<unknown>): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  try {
    for await (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`);
    res.write('data: [DONE]\n\n');
  } catch (err) {
    res.write(`data: ${JSON.stringify(toProviderError(err).toOpenAIError())}\n\n`);
  }
  res.end();
}

function toProviderError(err: unknown): ProviderError {
  return err instanceof ProviderError
    ? err
    : new ProviderError({ status: 500, retryable: false, message: 'internal error' });
}

function sendError(res: ServerResponse, err: ProviderError): void {
  const headers: Record<string, string> = {};
  if (err.retryAfterMs !== undefined)
    headers['retry-after'] = String(Math.ceil(err.retryAfterMs / 1000));
  sendJson(res, err.status, err.toOpenAIError(), headers);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
