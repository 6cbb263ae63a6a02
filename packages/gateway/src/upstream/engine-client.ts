import type { EventEmitter } from 'node:events';
import { Agent, type Dispatcher } from 'undici';

export interface EngineClientOptions {
  /** Keep-alive sockets per engine endpoint (default 512). */
  connections?: number;
  /** Milliseconds to wait for response headers and between body chunks (default 10 min). */
  timeoutMs?: number;
  /** Milliseconds to wait for a TCP connection (default 2 s): a dead pod fails fast. */
  connectTimeoutMs?: number;
}

export interface EngineResponse {
  status: number;
  headers: Dispatcher.ResponseData['headers'];
  body: Dispatcher.ResponseData['body'];
}

/** HTTP/1.1 keep-alive client for self-hosted engine endpoints (vLLM, TGI's OpenAI API). */
export interface EngineClient {
  /** `extra`: more request headers (a W3C traceparent when tracing). */
  post(
    baseUrl: string,
    path: string,
    body: string,
    /** Cancels the request: an AbortSignal, or an EventEmitter with `aborted` and 'abort'. */
    signal: AbortSignal | EventEmitter,
    extra?: Record<string, string>,
  ): Promise<EngineResponse>;
  close(): Promise<void>;
}

export function createEngineClient(options: EngineClientOptions = {}): EngineClient {
  const timeout = options.timeoutMs ?? 600_000;
  const agent = new Agent({
    connections: options.connections ?? 512,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    connect: { timeout: options.connectTimeoutMs ?? 2_000 },
  });
  const headers = { 'content-type': 'application/json' };
  return {
    async post(baseUrl, path, body, signal, extra) {
      const res = await agent.request({
        origin: baseUrl,
        path,
        method: 'POST',
        headers: extra ? { ...extra, ...headers } : headers,
        body,
        signal,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    },
    close: () => agent.close(),
  };
}
