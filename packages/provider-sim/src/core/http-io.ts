// Small node:http helpers: bounded body reading, JSON replies, SSE frames, abortable sleeps.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_BODY_BYTES } from '@bascule/engine-sim';
import { ProviderSimError } from './sim-error.js';

export { MAX_BODY_BYTES, sendJson } from '@bascule/engine-sim';

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new ProviderSimError({
        status: 413,
        kind: 'too_large',
        message: `Request body exceeds ${limit} bytes.`,
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function startSse(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
}

/** Writes one SSE event; returns false once the client has gone. */
export function writeSse(
  res: ServerResponse,
  data: string,
  event?: string,
  delimiter = '\n\n',
): boolean {
  if (res.destroyed || res.writableEnded) return false;
  const newline = delimiter === '\r\n\r\n' ? '\r\n' : '\n';
  res.write(`${event ? `event: ${event}${newline}` : ''}data: ${data}${delimiter}`);
  return true;
}

/** Resolves after `ms`, or early (false) when `signal` aborts. Zero waits nothing. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
