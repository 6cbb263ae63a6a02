import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_JSON_DEPTH, jsonDepth, jsonTooDeepMessage } from '@bascule/spec';
import { QueueError, toErrorBody } from '../errors/queue-error.js';

export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > maxBytes)
      throw new QueueError({
        status: 413,
        code: 'body_too_large',
        message: `the body is larger than ${maxBytes} bytes`,
      });
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    throw QueueError.badRequest(jsonTooDeepMessage(), undefined, 'json_too_deep');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw QueueError.badRequest('the body is not valid JSON');
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, body, headers } = toErrorBody(err);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
