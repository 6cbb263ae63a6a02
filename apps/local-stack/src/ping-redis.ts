import { createConnection } from 'node:net';
import { pollUntil } from './poll-until.js';

/**
 * Sends RESP PING until the server answers (+PONG, or -NOAUTH from a server that wants a
 * password) or the deadline passes. Used to wait for a redis-server we started to accept clients.
 */
export function pingRedis(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return pollUntil(() => pingOnce(host, port), timeoutMs, 25);
}

function pingOnce(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host, port });
    let data = '';
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('*1\r\n$4\r\nPING\r\n'));
    sock.on('data', (d: Buffer) => {
      data += d.toString();
      if (data.includes('\r\n')) done(data.startsWith('+PONG') || data.startsWith('-NOAUTH'));
    });
  });
}
