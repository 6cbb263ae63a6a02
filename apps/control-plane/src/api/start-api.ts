import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  API_TIMEOUTS,
  applyIdleTimeout,
  serverOptions,
  type ServerTimeouts,
} from '@bascule/gateway';
import type { ApiDeps } from './api-deps.js';
import { createApiApp } from './create-api-app.js';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/** Serves the control API on host:port (port 0 picks a free one). */
export async function startApi(
  deps: ApiDeps,
  host: string,
  port: number,
  timeouts: Partial<ServerTimeouts> = {},
): Promise<RunningApi> {
  const app = createApiApp(deps);
  const t = { ...API_TIMEOUTS, ...timeouts };
  const server: Server = createServer(serverOptions(t), app);
  applyIdleTimeout(server, t);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const h = host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${h}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
