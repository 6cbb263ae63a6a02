import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EngineRuntime } from './engine-runtime.js';
import { SseWriter } from './http-io.js';

/** What a route handler gets: the runtime, the exchange and the parsed JSON body. */
export interface RequestContext {
  runtime: EngineRuntime;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  body: unknown;
}

/** Opens an SSE stream honouring the slow-stream fault (wall-clock delay per event). */
export function openSse(ctx: RequestContext, prefix: 'data: ' | 'data:'): SseWriter {
  const { runtime } = ctx;
  return new SseWriter(
    ctx.res,
    prefix,
    () => runtime.faults.slowStreamMs,
    (fn, ms) => void runtime.clock.setTimeout(fn, ms),
  );
}

/** Calls `cancel` if the client goes away before `isDone()`. */
export function cancelOnDisconnect(
  ctx: RequestContext,
  isDone: () => boolean,
  cancel: () => void,
): void {
  ctx.res.on('close', () => {
    if (!isDone()) cancel();
  });
}

/** A request id in vLLM's style: prefix plus 32 hex digits. */
export function requestId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().replace(/-/g, '')}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The request's `stop` as a list (a string, a list, or nothing). */
export function stopList(stop: string | readonly string[] | null | undefined): readonly string[] {
  if (stop === undefined || stop === null) return [];
  return typeof stop === 'string' ? [stop] : stop;
}
