import type { ServerResponse } from 'node:http';
import { TARGET_HEADER } from '@bascule/spec';
import type { Dialect } from '../dialects/core/dialect.js';
import { toErrorResponse, type OpenAIErrorBody } from '../errors/to-error-response.js';
import { withResponseHeaders } from '../http/response-headers.js';

/** What every response carries: which target served it, why, and the gateway's own time. */
export interface RouteHeaders {
  target: string;
  reason: string;
  overheadMs: number;
}

/** The whole head in one object: the body's headers, the added ones (request id...), the route's. */
function head(
  res: ServerResponse,
  h: RouteHeaders,
  body: Record<string, string | number>,
): Record<string, string | number> {
  withResponseHeaders(res, body);
  body[TARGET_HEADER] = h.target;
  body['x-bascule-route-reason'] = h.reason;
  body['x-bascule-overhead-ms'] = h.overheadMs.toFixed(3);
  return body;
}

export function writeJsonText(
  res: ServerResponse,
  status: number,
  text: string | Buffer,
  h: RouteHeaders,
): void {
  res.writeHead(
    status,
    head(res, h, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    }),
  );
  res.end(text);
}

/** An error as HTTP: OpenAI's error body, or the client's dialect's. Returns the status. */
export function writeError(
  res: ServerResponse,
  err: unknown,
  h: RouteHeaders,
  dialect?: Pick<Dialect, 'error'>,
): number {
  const e = toErrorResponse(err);
  const d = dialect ? dialect.error(e) : e;
  const text = JSON.stringify(d.body);
  res.writeHead(
    d.status,
    head(res, h, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...e.headers,
    }),
  );
  res.end(text);
  return d.status;
}

/** Sends the SSE response head; chunks follow as they arrive. */
export function commitSse(res: ServerResponse, h: RouteHeaders): void {
  res.writeHead(
    200,
    head(res, h, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    }),
  );
  // No flushHeaders(): the head goes out with the first chunk, written right after this.
}

/**
 * A failure after the first streamed byte: an SSE `data:` event with OpenAI's error body (the
 * official SDKs raise it as an APIError), then the stream ends without [DONE].
 */
export function writeSseError(
  res: ServerResponse,
  message: string,
  code = 'upstream_stream_error',
): void {
  if (res.writableEnded || res.destroyed) return;
  const body: OpenAIErrorBody = { error: { message, type: 'api_error', param: null, code } };
  res.end(`data: ${JSON.stringify(body)}\n\n`);
}

/** Writes and waits for drain when the socket buffer is full (backpressure to upstream). */
export async function writeChunk(res: ServerResponse, data: string | Buffer): Promise<void> {
  if (!res.write(data)) {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }
}
