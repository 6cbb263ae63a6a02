import { DEFAULT_PREFIX } from '@bascule/keyspace';
import type { Express } from 'express';
import { z } from 'zod';
import { allowQuery } from '../access.js';
import { ApiError, parseBody } from '../api-error.js';
import { principalOf, type ApiDeps } from '../api-deps.js';
import { readUsage, type UsageRow } from './usage-reader.js';

const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' });

export const UsageQuerySchema = z.strictObject({
  by: z.enum(['key', 'route', 'target', 'adapter', 'shadow']).default('key'),
  from: DAY.optional(),
  to: DAY.optional(),
});

/**
 * GET /api/v1/usage: tokens and cost per key, route or target and day, from the gateway's
 * Redis counters. Admins see everything; other keys see only their own tenant's keys.
 */
export function usageRoutes(app: Express, deps: ApiDeps): void {
  app.get('/api/v1/usage', async (req, res) => {
    allowQuery(req, 'by', 'from', 'to');
    let q: z.output<typeof UsageQuerySchema>;
    try {
      q = parseBody(UsageQuerySchema, { ...(req.query as Record<string, unknown>) });
    } catch (err) {
      if (err instanceof ApiError)
        throw new ApiError(400, 'invalid_query', err.message, `?${err.path?.slice(1) ?? ''}`);
      throw err;
    }
    const today = new Date().toISOString().slice(0, 10);
    const to = q.to ?? today;
    const from = q.from ?? to;
    if (from > to) throw new ApiError(400, 'invalid_query', 'from must not be after to', '?from');
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > 366)
      throw new ApiError(400, 'invalid_query', 'at most 366 days per query', '?from');
    if (!deps.redis || !deps.keys)
      throw new ApiError(503, 'usage_unavailable', 'usage needs Redis (BASCULE_REDIS_URL)');
    const p = principalOf(res);
    let names: string[] | undefined;
    if (p.role !== 'admin') {
      if (q.by !== 'key')
        throw new ApiError(
          403,
          'forbidden',
          `usage by ${q.by} spans tenants; only admin keys may read it (use by=key)`,
          '?by',
        );
      names = await deps.keys.idsOf(p.tenant);
    }
    const rows = await readUsage(deps.redis, deps.prefix ?? DEFAULT_PREFIX, from, to, q.by, names);
    const keyInfo =
      q.by === 'key'
        ? new Map(
            (await deps.keys.list(p.role === 'admin' ? undefined : p.tenant)).map((k) => [k.id, k]),
          )
        : undefined;
    res.json({
      by: q.by,
      from,
      to,
      ...(p.role === 'admin' ? {} : { tenant: p.tenant }),
      rows: rows.map((r) => ({
        ...r,
        ...(q.by === 'target' ? { kind: r.name.includes('/') ? 'closed' : 'self-hosted' } : {}),
        ...(keyInfo
          ? {
              keyName: keyInfo.get(r.name)?.name ?? null,
              tenant: keyInfo.get(r.name)?.tenant ?? null,
            }
          : {}),
      })),
      totals: totals(rows, q.by === 'target'),
    });
  });
}

function totals(rows: UsageRow[], split: boolean) {
  const sum = (xs: UsageRow[]) => ({
    requests: xs.reduce((a, r) => a + r.requests, 0),
    inputTokens: xs.reduce((a, r) => a + r.inputTokens, 0),
    outputTokens: xs.reduce((a, r) => a + r.outputTokens, 0),
    costUSD: xs.reduce((a, r) => a + r.costUSD, 0),
  });
  return {
    ...sum(rows),
    ...(split
      ? {
          selfHosted: sum(rows.filter((r) => !r.name.includes('/'))),
          closed: sum(rows.filter((r) => r.name.includes('/'))),
        }
      : {}),
  };
}
