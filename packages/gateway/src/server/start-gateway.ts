import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type { Gateway } from './create-gateway.js';
import {
  GATEWAY_TIMEOUTS,
  applyIdleTimeout,
  serverOptions,
  type ServerTimeouts,
} from './server-timeouts.js';

export interface StartGatewayOptions {
  gateway: Gateway;
  host?: string;
  port?: number;
  /**
   * `node` (default): /v1 is served by node:http directly and everything else by express;
   * `express`: every path goes through express (kept for the benchmark's comparison).
   */
  http?: 'node' | 'express';
  /** Extra express routes (health, the api role...) mounted next to /metrics. */
  extend?: (app: Express) => void;
  /** Header, body and idle limits (default GATEWAY_TIMEOUTS). */
  timeouts?: Partial<ServerTimeouts>;
}

export interface RunningGateway {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Listens for the gateway: /v1/* on the hot path, /metrics and /healthz through express. */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const { gateway } = options;
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', (_req, res, next) => {
    gateway.metrics.registry
      .metrics()
      .then((text) => {
        res.set('content-type', gateway.metrics.registry.contentType).send(text);
      })
      .catch(next);
  });
  options.extend?.(app);
  const viaExpress = options.http === 'express';
  if (viaExpress)
    app.use('/v1', (req, res) => gateway.handle(Object.assign(req, { url: req.originalUrl }), res));
  const timeouts = { ...GATEWAY_TIMEOUTS, ...options.timeouts };
  const server = createServer(
    serverOptions(timeouts),
    viaExpress
      ? app
      : (req, res) => {
          if (req.url?.startsWith('/v1/')) gateway.handle(req, res);
          else app(req, res);
        },
  );
  applyIdleTimeout(server, timeouts);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    server,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
