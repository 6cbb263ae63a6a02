import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';

/** Reads a request body up to `limit` bytes; a larger one is a 413. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      req.resume();
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () =>
      resolve(
        chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
      ),
    );
    req.on('error', (e) =>
      reject(
        new GatewayError({ status: 400, message: 'could not read the request body', cause: e }),
      ),
    );
  });
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError({
    status: 413,
    message: `request body is larger than ${limit} bytes`,
    code: 'request_too_large',
  });
}
