// What runs for images kube-sim does not simulate: a tiny HTTP server on each container port at
// the pod's IP, answering every request with 200 so httpGet and tcpSocket probes pass.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubServer {
  ports: number[];
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startStubServer(
  host: string,
  ports: number[],
  name: string,
): Promise<StubServer> {
  const servers: Server[] = [];
  const bound: number[] = [];
  const close = async () => {
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
  };
  try {
    for (const port of ports) {
      const server = createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`ok: ${name} ${req.method ?? 'GET'} ${req.url ?? '/'}\n`);
      });
      servers.push(server);
      bound.push(await listen(server, host, port));
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { ports: bound, close };
}
