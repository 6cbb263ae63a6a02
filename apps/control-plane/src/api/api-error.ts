import type { Response } from 'express';
import { z } from 'zod';

/** The one error body of the control API. */
export const ApiErrorBodySchema = z.object({
  error: z.object({
    /** Stable, machine-readable: invalid_body, unknown_field, not_found, forbidden, ... */
    code: z.string(),
    message: z.string(),
    /** Field path when the error is about one field, e.g. `.budget.usd` or `.spec.gpus`. */
    path: z.string().optional(),
    details: z.array(z.record(z.string(), z.unknown())).optional(),
    requestId: z.string(),
  }),
});

/** An error answered as `{error: {code, message, path}}` with its status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path?: string,
    readonly details?: Record<string, unknown>[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendError(res: Response, err: ApiError): void {
  for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  res.status(err.status).json({
    error: {
      code: err.code,
      message: err.message,
      ...(err.path !== undefined ? { path: err.path } : {}),
      ...(err.details ? { details: err.details } : {}),
      requestId: String((res.locals as { requestId?: string }).requestId ?? ''),
    },
  });
}

/** `.a.b[0]` from a zod issue path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') || '.';
}

/** Parses with zod; the first issue becomes a 400 naming the field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body))
    throw new ApiError(400, 'invalid_body', 'request body must be a JSON object');
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    throw new ApiError(
      400,
      'unknown_field',
      `unknown field "${key}"`,
      jsonPath([...issue.path, key]),
    );
  }
  throw new ApiError(400, 'invalid_field', issue.message, jsonPath(issue.path));
}
