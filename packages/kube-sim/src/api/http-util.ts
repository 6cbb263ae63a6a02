import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { StatusError, badRequest } from '../store/index.js';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

export async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new StatusError(413, 'RequestEntityTooLarge', 'the request body is too large', {});
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON (or, for apply patches, YAML) request body into a value. */
export function parseBody(text: string, yaml = false): unknown {
  if (text.trim() === '') throw badRequest('the request body is empty');
  try {
    return yaml ? (parseYaml(text) as unknown) : (JSON.parse(text) as unknown);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw badRequest(`couldn't get version/kind; json parse error: ${why}`);
  }
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  const status =
    err instanceof StatusError
      ? err
      : new StatusError(500, 'InternalError', `Internal error occurred: ${errorMessage(err)}`, {});
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status.code, status.toStatus());
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Whether an Accept header asks for a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

/** Whether an Accept header asks for aggregated discovery (apidiscovery.k8s.io/v2). */
export function wantsAggregatedDiscovery(accept: string | undefined): boolean {
  return (
    !!accept &&
    accept
      .split(',')
      .some(
        (part) =>
          /as=APIGroupDiscoveryList/.test(part) &&
          /g=apidiscovery\.k8s\.io/.test(part) &&
          /v=v2(;|$|\s)/.test(part),
      )
  );
}

export function queryFlag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v !== null && v !== 'false' && v !== '0';
}
