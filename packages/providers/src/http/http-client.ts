import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { checkEgressUrl } from '../egress/check-egress-url.js';
import type { EgressPolicy } from '../egress/egress-policy.js';
import { guardedLookup, type Resolve } from '../egress/guarded-lookup.js';

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
  /**
   * Calls made on a user's behalf: every URL is checked (checkEgressUrl) and every connection
   * resolves its host itself and connects only to an allowed address (guardedLookup), so DNS
   * rebinding cannot slip past the check. Redirects are never followed.
   */
  egress?: { policy: EgressPolicy; resolve?: Resolve };
}

/** The upstream sent no headers, or no body bytes, within the timeout. */
export class UpstreamTimeoutError extends Error {
  override readonly name = 'UpstreamTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
  }
}

/**
 * An undici Agent with a keep-alive connection pool per origin. The timeout is our own
 * (a native timer, refreshed by every body chunk), so short timeouts are precise.
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const agent = new Agent({
    connections: options.connections ?? 128,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    keepAliveMaxTimeout: 10 * 60_000,
    pipelining: 1,
    headersTimeout: 0,
    bodyTimeout: 0,
    ...(options.egress
      ? { connect: { lookup: guardedLookup(options.egress.policy, options.egress.resolve) } }
      : {}),
  });
  const egress = options.egress?.policy;
  const defaultTimeout = options.timeoutMs ?? 120_000;
  return {
    async send(req) {
      const timeout = req.timeoutMs ?? defaultTimeout;
      const ac = new AbortController();
      let timedOut = false;
      const onAbort = (): void => ac.abort(req.signal?.reason);
      if (req.signal?.aborted) onAbort();
      req.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        timedOut = true;
        ac.abort(new UpstreamTimeoutError(timeout));
      }, timeout);
      const done = (): void => {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
      };
      const fail = (err: unknown): never => {
        done();
        throw timedOut ? new UpstreamTimeoutError(timeout) : err;
      };
      let res: Dispatcher.ResponseData;
      try {
        // A literal address never reaches the lookup: it is checked here.
        const u = egress ? checkEgressUrl(req.url, egress) : new URL(req.url);
        res = await agent.request({
          origin: u.origin,
          path: u.pathname + u.search,
          method: req.method ?? 'POST',
          headers: req.headers,
          body: req.body,
          signal: ac.signal,
        });
      } catch (err) {
        return fail(err);
      }
      timer.refresh();
      const body = res.body;
      return {
        status: res.statusCode,
        header(name) {
          const v = res.headers[name.toLowerCase()];
          return Array.isArray(v) ? v[0] : v;
        },
        body: (async function* () {
          try {
            for await (const chunk of body) {
              timer.refresh();
              yield chunk as Uint8Array;
            }
          } catch (err) {
            fail(err);
          } finally {
            done();
          }
        })(),
        async text() {
          try {
            const t = await body.text();
            done();
            return t;
          } catch (err) {
            return fail(err);
          }
        },
        cancel() {
          done();
          // Destroying an unread body emits an abort error: it is the intended outcome here.
          body.on('error', () => undefined);
          body.destroy();
        },
      };
    },
    async close() {
      await agent.close();
    },
  };
}

export function isTimeoutError(err: unknown): boolean {
  return (
    err instanceof UpstreamTimeoutError ||
    err instanceof undiciErrors.HeadersTimeoutError ||
    err instanceof undiciErrors.BodyTimeoutError ||
    err instanceof undiciErrors.ConnectTimeoutError
  );
}
