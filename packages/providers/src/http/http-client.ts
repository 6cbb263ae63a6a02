import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Milliseconds to wait for response headers, and between body chunks. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  header(name: string): string | undefined;
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  /** Stop reading and release the connection. */
  cancel(): void;
}

/** The small HTTP surface adapters use; injectable so tests can count connections. */
export interface HttpClient {
  send(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /** Max sockets per origin (keep-alive pool). */
  connections?: number;
  keepAliveTimeoutMs?: number;
  /** Default timeout when a request gives none. */
  timeoutMs?: number;
}

/** An undici Agent with a keep-alive connection pool per origin. */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const agent = new Agent({
    connections: options.connections ?? 128,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    keepAliveMaxTimeout: 10 * 60_000,
    pipelining: 1,
  });
  const defaultTimeout = options.timeoutMs ?? 120_000;
  return {
    async send(req) {
      const timeout = req.timeoutMs ?? defaultTimeout;
      const res = await agent.request({
        origin: new URL(req.url).origin,
        path: pathOf(req.url),
        method: req.method ?? 'POST',
        headers: req.headers,
        body: req.body,
        signal: req.signal,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      return wrap(res);
    },
    async close() {
      await agent.close();
    },
  };
}

function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

function wrap(res: Dispatcher.ResponseData): HttpResponse {
  return {
    status: res.statusCode,
    header(name) {
      const v = res.headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    },
    body: res.body,
    text: () => res.body.text(),
    cancel() {
      res.body.destroy();
    },
  };
}

export function isTimeoutError(err: unknown): boolean {
  return (
    err instanceof undiciErrors.HeadersTimeoutError ||
    err instanceof undiciErrors.BodyTimeoutError ||
    err instanceof undiciErrors.ConnectTimeoutError
  );
}
