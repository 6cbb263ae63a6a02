import { createServer } from 'node:net';

/** Port 0 -> a free port on host; any other port -> itself if free, else `taken(port)`. */
export function claimPort(
  host: string,
  port: number,
  taken: (port: number) => Error,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' || err.code === 'EACCES' ? taken(port) : err),
    );
    srv.listen(port, host, () => {
      const addr = srv.address();
      const p = typeof addr === 'object' && addr ? addr.port : port;
      srv.close(() => resolve(p));
    });
  });
}
