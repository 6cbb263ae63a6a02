// Redis for the local stack: REDIS_URL when given, else a private redis-server on a free port
// with its append-only file under the state directory (so keys, usage and queued jobs survive
// a restart of `pnpm start`).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pingRedis as ping } from './ping-redis.js';
import { claimPort } from './free-port.js';
import { stopChild } from './stop-child.js';

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

export interface StartedRedis {
  url: string;
  /** The pid of the redis-server we started (none for REDIS_URL). */
  pid?: number;
  stop(): Promise<void>;
}

export const REDIS_MISSING =
  'redis-server was not found on PATH and REDIS_URL is not set.\n' +
  'Install Redis (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)\n' +
  'or point at one you have: REDIS_URL=redis://127.0.0.1:6379 pnpm start';

export async function startRedis(options: {
  url?: string;
  dir: string;
  logs: string;
}): Promise<StartedRedis> {
  if (options.url) {
    const u = new URL(options.url);
    const port = Number(u.port || 6379);
    if (!(await ping(u.hostname, port, 3_000)))
      throw new RedisUnavailableError(
        `REDIS_URL: nothing answers PING at ${u.hostname}:${port}; start Redis there or unset REDIS_URL`,
      );
    return { url: options.url, stop: () => Promise.resolve() };
  }
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error)
    throw new RedisUnavailableError(REDIS_MISSING);
  const host = '127.0.0.1';
  const port = await claimPort(host, 0, () => new Error('no free port for redis-server'));
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      host,
      '--dir',
      options.dir,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--daemonize',
      'no',
      '--logfile',
      join(options.logs, 'redis.log'),
    ],
    // Its own process group: Ctrl-C reaches `pnpm start` only, which stops Redis last.
    { stdio: 'ignore', detached: true },
  );
  const exited = new Promise<boolean>((r) => child.once('exit', () => r(false)));
  const ready = await Promise.race([ping(host, port, 15_000), exited]);
  if (!ready) {
    await stopChild(child, 1_000);
    throw new RedisUnavailableError(
      `redis-server did not start on ${host}:${port}; see ${join(options.logs, 'redis.log')}`,
    );
  }
  return {
    url: `redis://${host}:${port}`,
    ...(child.pid ? { pid: child.pid } : {}),
    stop: () => stopChild(child, 10_000),
  };
}
