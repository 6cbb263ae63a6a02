import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { cancelBatch, createBatch } from '../batches/create-batch.js';
import type { QueueContext } from '../core/queue-context.js';
import { QueueError } from '../errors/queue-error.js';
import { publicFile } from '../files/file-record.js';
import { uploadFile, type UploadLimits } from '../files/upload-file.js';
import { cancelJob, createJob } from '../jobs/create-job.js';
import { publicJob } from '../jobs/job-record.js';
import { listDeadLetters } from '../jobs/dead-letters.js';
import type { WebhookUrlPolicy } from '../webhooks/check-webhook-url.js';
import { readJson, sendError, sendJson } from './http-io.js';
import type { QueueAdmit, QueueAuthenticate, QueueCaller } from './queue-caller.js';
import { watchStore } from './store-unavailable.js';

export interface QueueHandlerOptions {
  context: QueueContext;
  /** Who is calling (reads); default: everyone is the `anonymous` tenant. */
  authenticate?: QueueAuthenticate;
  /** Admission of new work (uploads, batches, jobs): scope, rate limit, budget. */
  admit?: QueueAdmit;
  /**
   * Longest a request waits for an unreachable Redis before a 503 with retry-after
   * (default 2000 ms).
   */
  storeWaitMs?: number;
  limits?: Partial<UploadLimits>;
  webhooks?: WebhookUrlPolicy;
  /** Refuse jobs for unknown targets (the gateway's catalog). */
  targetExists?: (name: string) => boolean;
}

/** A node:http handler; `handle` returns false for paths it does not serve. */
export interface QueueHandler {
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

const PATHS =
  /^\/(?:v1\/(files|batches)|api\/v1\/(jobs|dead-letter))(?:\/([^/]+))?(?:\/(content|cancel))?\/?$/;

/**
 * Serves the Batch API (/v1/files, /v1/batches) and async jobs (/api/v1/jobs). The gateway
 * mounts it before its own /v1 routes; the api role mounts it for /api/v1/jobs.
 */
export function createQueueHandler(o: QueueHandlerOptions): QueueHandler {
  const ctx = o.context;
  const limits: UploadLimits = {
    maxFileBytes: o.limits?.maxFileBytes ?? 200 * 1024 * 1024,
    maxLines: o.limits?.maxLines ?? 50_000,
  };
  const webhooks = o.webhooks ?? {};
  const auth = o.authenticate ?? (() => ({ tenant: 'anonymous' }));
  const admitter: QueueAdmit = o.admit ?? ((req) => auth(req));
  const storeWaitMs = o.storeWaitMs ?? 2000;

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    m: RegExpExecArray,
  ): Promise<void> {
    const [, v1kind, apiKind, id, action] = m;
    const kind = v1kind ?? apiKind;
    const method = req.method ?? 'GET';
    const creating = method === 'POST' && !id && kind !== 'dead-letter';
    // Uploads are admitted before the body is read; batches and jobs once their targets are known.
    const caller: QueueCaller =
      kind === 'files' && creating ? await admitter(req, []) : await auth(req);
    const { tenant } = caller;
    const admit = async (targets: readonly string[]): Promise<unknown> => admitter(req, targets);
    const url = new URL(req.url ?? '/', 'http://x');
    if (kind === 'files') {
      if (!id && method === 'POST') {
        const f = await uploadFile(req, tenant, ctx.storage, limits);
        await ctx.files.put(f);
        return sendJson(res, 200, publicFile(f));
      }
      if (id && !action && method === 'GET')
        return sendJson(res, 200, publicFile(await ctx.files.get(id, tenant)));
      if (id && action === 'content' && method === 'GET') {
        const f = await ctx.files.get(id, tenant);
        res.writeHead(200, { 'content-type': 'application/jsonl', 'content-length': f.bytes });
        await pipeline(ctx.storage.read(id), res);
        return;
      }
    }
    if (kind === 'batches') {
      if (!id && method === 'POST')
        return sendJson(
          res,
          200,
          await createBatch(ctx, caller, await readJson(req, 64 * 1024), admit),
        );
      if (!id && method === 'GET') {
        const limit = parseLimit(url.searchParams.get('limit'));
        const after = url.searchParams.get('after') ?? undefined;
        const page = await ctx.batches.list(tenant, after, limit);
        return sendJson(res, 200, {
          object: 'list',
          data: page.data,
          first_id: page.data[0]?.id ?? null,
          last_id: page.data.at(-1)?.id ?? null,
          has_more: page.hasMore,
        });
      }
      if (id && !action && method === 'GET')
        return sendJson(res, 200, await ctx.batches.get(id, tenant));
      if (id && action === 'cancel' && method === 'POST')
        return sendJson(res, 200, await cancelBatch(ctx, tenant, id));
    }
    if (kind === 'jobs' && !action) {
      if (!id && method === 'POST') {
        const key = req.headers['idempotency-key'];
        const r = await createJob(
          ctx,
          caller,
          await readJson(req, 4 * 1024 * 1024),
          Array.isArray(key) ? key[0] : key,
          {
            webhooks,
            admit,
            ...(o.targetExists ? { targetExists: o.targetExists } : {}),
          },
        );
        return sendJson(res, r.created ? 202 : 200, r.job);
      }
      if (!id && method === 'GET') {
        const jobs = await ctx.jobs.list(tenant, parseLimit(url.searchParams.get('limit')));
        return sendJson(res, 200, { object: 'list', data: jobs.map(publicJob) });
      }
      if (id && method === 'GET')
        return sendJson(res, 200, publicJob(await ctx.jobs.get(id, tenant)));
      if (id && method === 'DELETE') return sendJson(res, 200, await cancelJob(ctx, tenant, id));
    }
    if (kind === 'dead-letter' && !id && method === 'GET') {
      const target = url.searchParams.get('model');
      if (!target) throw QueueError.badRequest('name the Route or Model with ?model=', 'model');
      return sendJson(res, 200, {
        object: 'list',
        data: await listDeadLetters(ctx, target, tenant, parseLimit(url.searchParams.get('limit'))),
      });
    }
    throw new QueueError({
      status: 405,
      code: 'method_not_allowed',
      message: `${method} is not allowed on ${url.pathname}`,
    });
  }

  return {
    handle(req, res) {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const m = PATHS.exec(path);
      if (!m) return false;
      // Redis-backed: never wait on an unreachable Redis past storeWaitMs (503, retry-after).
      const watchdog = watchStore(res, () => ctx.redis.status === 'ready', storeWaitMs);
      serve(req, res, m)
        .catch((err: unknown) => {
          req.resume();
          if (!watchdog.answered) sendError(res, err);
        })
        .finally(() => watchdog.stop());
      return true;
    },
  };
}

function parseLimit(v: string | null): number {
  if (v === null) return 20;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw QueueError.badRequest('limit must be an integer from 1 to 100', 'limit');
  return n;
}
