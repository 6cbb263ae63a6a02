import type { IncomingMessage } from 'node:http';
import { parseJsonText, parseRequest, type ParsedRequest } from '../../validate/parse-request.js';
import type { AcceptContext, Dialect, DialectSession } from './dialect.js';

/**
 * A dialect's request body as the internal chat request (validated as any chat request is),
 * and the session that renders its answer back.
 */
export async function acceptDialect(
  dialect: Dialect,
  text: string,
  req: IncomingMessage,
  key: string | undefined,
  routesOnlyTo: AcceptContext['routesOnlyTo'],
): Promise<{ parsed: ParsedRequest; session: DialectSession }> {
  const ctx: AcceptContext = {
    headers: req.headers,
    key,
    ...(routesOnlyTo ? { routesOnlyTo } : {}),
  };
  const d = await dialect.accept(parseJsonText(text), ctx);
  return {
    parsed: parseRequest('chat', JSON.stringify(d.chat)),
    session: { ...d, error: (e) => dialect.error(e) },
  };
}
