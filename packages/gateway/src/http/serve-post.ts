import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dialect } from '../dialects/core/dialect.js';
import { GatewayError } from '../errors/gateway-error.js';
import { writeError, type RouteHeaders } from '../proxy/response-writer.js';

const NONE: RouteHeaders = { target: 'none', reason: 'none', overheadMs: 0 };

/**
 * Serves a POST-only endpoint: another method is a 405; a failure `run` lets escape becomes an
 * error answer in the client's dialect before the first byte, and a destroyed socket after it.
 */
export function servePost(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  run: () => Promise<void>,
  dialect?: Pick<Dialect, 'error'>,
): void {
  if (req.method !== 'POST') {
    const e = new GatewayError({
      status: 405,
      code: 'method_not_allowed',
      message: `use POST for ${path}`,
    });
    writeError(res, e, NONE, dialect);
    return;
  }
  run().catch((err: unknown) => {
    if (!res.headersSent) writeError(res, err, NONE, dialect);
    else res.destroy();
  });
}
