import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiDeps } from './api-deps.js';
import { createApiApp } from './create-api-app.js';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/** Serves the control API on host:port (port 0 picks a free one). */
export async function startApi(deps: ApiDeps, host: string, port: number): Promise<RunningApi> {
  const app = createApiApp(deps);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  server.requestTimeout = 60_000;
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
