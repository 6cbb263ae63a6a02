import type { ServerResponse } from 'node:http';

const HEADERS = Symbol('bascule.responseHeaders');
type Carrying = ServerResponse & { [HEADERS]?: Record<string, string> };

/**
 * Headers a response carries besides those of its body (its request id, what the router saw),
 * kept aside until response-writer writes the head with all of them in one writeHead. Node
 * takes writeHead's fast path only when no setHeader came first; each setHeader costs about a
 * microsecond, and then writeHead passes every header through it again.
 */
export function addResponseHeader(res: ServerResponse, name: string, value: string): void {
  const r = res as Carrying;
  (r[HEADERS] ??= {})[name] = value;
}

/** A header added with addResponseHeader, if any. */
export function responseHeader(res: ServerResponse, name: string): string | undefined {
  return (res as Carrying)[HEADERS]?.[name];
}

/** Copies the added headers into `head` (the object given to writeHead), and returns it. */
export function withResponseHeaders<T extends Record<string, string | number>>(
  res: ServerResponse,
  head: T,
): T {
  const extra = (res as Carrying)[HEADERS];
  if (extra) for (const k in extra) (head as Record<string, string>)[k] = extra[k]!;
  return head;
}
