// The run-time control surface, outside every provider's namespace:
//   GET  /_sim/stats    counters        POST /_sim/stats/reset   zero them
//   GET  /_sim/faults   active faults   POST /_sim/faults        replace them (JSON body; {} clears)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody, sendJson } from './http-io.js';
import type { SimState } from './sim-state.js';

export const faultsSchema = z.strictObject({
  errorRate: z.number().min(0).max(1).optional(),
  status: z.number().int().min(500).max(599).optional(),
  rateLimitEvery: z.number().int().min(0).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
  hangMs: z.number().int().min(0).optional(),
  failAfterFirstChunk: z.boolean().optional(),
});

/** "faults.errorRate: Too big: expected number to be <=1" for the first issue. */
export function describeZodError(prefix: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${prefix}: invalid`;
  const path = issue.path.map(String).join('.');
  return `${path ? `${prefix}.${path}` : prefix}: ${issue.message}`;
}

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  state: SimState,
): Promise<void> {
  const key = `${req.method ?? 'GET'} ${pathname}`;
  if (key === 'GET /_sim/stats') return sendJson(res, 200, state.stats());
  if (key === 'POST /_sim/stats/reset') {
    state.resetStats();
    return sendJson(res, 200, state.stats());
  }
  if (key === 'GET /_sim/faults') return sendJson(res, 200, state.faults());
  if (key === 'POST /_sim/faults') {
    let body: unknown;
    try {
      const text = await readBody(req, 64 * 1024);
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return sendJson(res, 400, { error: 'faults: body is not valid JSON' });
    }
    const parsed = faultsSchema.safeParse(body);
    if (!parsed.success)
      return sendJson(res, 400, { error: describeZodError('faults', parsed.error) });
    state.setFaults(parsed.data);
    return sendJson(res, 200, state.faults());
  }
  return sendJson(res, 404, {
    error: `no admin route ${key} (try GET /_sim/stats, POST /_sim/faults)`,
  });
}
