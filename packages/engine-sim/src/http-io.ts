import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Server } from 'node:net';

/** Largest request body engine-sim reads (vLLM and TGI accept large prompts; 32 MiB is plenty). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export type BodyResult =
  { ok: true; value: unknown } | { ok: false; reason: 'invalid-json' | 'too-large' };

/** Reads and parses a JSON body; an empty body parses to undefined. */
export async function readJson(req: IncomingMessage): Promise<BodyResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) return { ok: false, reason: 'too-large' };
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return { ok: true, value: text.length === 0 ? undefined : (JSON.parse(text) as unknown) };
  } catch {
    return { ok: false, reason: 'invalid-json' };
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Listens on `host`:`port` (0: a free port) and resolves once bound, with the address as a URL
 * writes it (an IPv6 host in brackets) and the bound port; rejects if listening fails.
 */
export async function listenOn(
  server: Server,
  port: number,
  host: string,
): Promise<{ host: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    host: address.family === 'IPv6' ? `[${address.address}]` : address.address,
    port: address.port,
  };
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Server-sent events writer. `prefix` is 'data: ' (vLLM/FastAPI) or 'data:' (TGI/axum).
 * With `delayMs` > 0 (the slow-stream fault) events go out one per delay.
 */
export class SseWriter {
  private readonly queue: string[] = [];
  private draining = false;
  private closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly prefix: string,
    private readonly delayMs: () => number,
    private readonly schedule: (fn: () => void, ms: number) => void,
  ) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.flushHeaders();
  }

  send(data: string): void {
    this.push(`${this.prefix}${data}\n\n`);
  }

  end(): void {
    this.push(null);
  }

  private push(frame: string | null): void {
    if (this.closed) return;
    if (this.delayMs() <= 0 && !this.draining) {
      this.write(frame);
      return;
    }
    this.queue.push(frame ?? '\u0000end');
    if (!this.draining) this.drain();
  }

  private drain(): void {
    const next = this.queue.shift();
    if (next === undefined) {
      this.draining = false;
      return;
    }
    this.draining = true;
    this.schedule(() => {
      this.write(next === '\u0000end' ? null : next);
      this.drain();
    }, this.delayMs());
  }

  private write(frame: string | null): void {
    if (this.closed || this.res.destroyed) return;
    if (frame === null) {
      this.closed = true;
      this.res.end();
    } else this.res.write(frame);
  }
}
