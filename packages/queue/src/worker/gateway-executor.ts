import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { context, propagation } from '@opentelemetry/api';
import { DEFERRED_HEADER, ON_BEHALF_OF_HEADER, TARGET_HEADER } from '@bascule/spec';
import type { ExecuteResult, JobExecutor } from './job-executor.js';

export interface GatewayExecutorOptions {
  /** The gateway's base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  /** Extra headers on every request (e.g. an internal Authorization). */
  headers?: Record<string, string>;
  /** Socket pool size (default 256). */
  maxSockets?: number;
  /** Tracing on: send the active span's W3C traceparent (the job's span) to the gateway. */
  propagateTrace?: boolean;
}

/**
 * Sends jobs through the gateway, so routing, privacy and metering are the interactive path's.
 * Self-hosted-only attempts (before the deadline) carry `x-bascule-deferred: self-hosted`:
 * the gateway never sends those to a provider, and meters them with reason `deferred` (not
 * `privacy`: a Route that forbids closed targets still says `privacy`). Work submitted with a key carries `x-bascule-on-behalf-of: <key id>`:
 * the gateway admits it under that key (scope, budget) and bills it there; only an admin key
 * (the worker's) may send that header.
 */
export function createGatewayExecutor(o: GatewayExecutorOptions): JobExecutor {
  const base = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: o.maxSockets ?? 256 });
  return {
    execute({ url, body, allowExternal, onBehalfOf, signal }) {
      const text = JSON.stringify(body);
      const requestId = `req_${randomUUID().replace(/-/g, '')}`;
      const trace: Record<string, string> = {};
      if (o.propagateTrace) propagation.inject(context.active(), trace);
      return new Promise<ExecuteResult>((resolve, reject) => {
        const req = request(
          {
            host: base.hostname,
            port: base.port || 80,
            path: base.pathname.replace(/\/+$/, '') + url,
            method: 'POST',
            agent,
            signal,
            headers: {
              ...o.headers,
              ...trace,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(text),
              'x-request-id': requestId,
              ...(allowExternal ? {} : { [DEFERRED_HEADER]: 'self-hosted' }),
              // The submitter's key: the gateway admits and bills the request under it.
              ...(onBehalfOf ? { [ON_BEHALF_OF_HEADER]: onBehalfOf } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const served = res.headers[TARGET_HEADER];
              resolve({
                status: res.statusCode ?? 502,
                body: Buffer.concat(chunks).toString('utf8'),
                requestId,
                ...(typeof served === 'string' ? { servedBy: served } : {}),
              });
            });
          },
        );
        req.on('error', reject);
        req.end(text);
      });
    },
    close() {
      agent.destroy();
      return Promise.resolve();
    },
  };
}
