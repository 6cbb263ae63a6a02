import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pingRedis } from '@bascule/local-stack';

export interface RedisServerOptions {
  /** Append-only file in the temp dir, so `restart()` keeps the data. */
  aof?: boolean;
  /** AOF fsync policy with `aof` (default `everysec`; `always` loses nothing even on SIGKILL). */
  appendfsync?: 'always' | 'everysec' | 'no';
  /** Give up waiting for PING after this long (default 10 s). */
  startTimeoutMs?: number;
  /** More redis-server arguments (e.g. cluster mode; see redis-cluster.ts). */
  args?: string[];
}

export interface RunningRedisServer {
  host: string;
  port: number;
  /** `redis://127.0.0.1:<port>` */
  url: string;
  /** The temp directory holding its files. */
  dir: string;
  /** Stops and starts it again on the same port and directory. */
  restart(): Promise<void>;
  /** Kills it with SIGKILL (a crash: no shutdown, no final fsync), keeping its files; `restart()` brings it back. */
  kill(): Promise<void>;
  /** Stops it and removes the temp directory. */
  stop(): Promise<void>;
}

/**
 * Starts a private `redis-server` on a free 127.0.0.1 port in a temp dir and waits until it
 * answers PING. Never touches the shared Redis on 6379.
 */
export async function startRedisServer(
  options: RedisServerOptions = {},
): Promise<RunningRedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'bsc-redis-'));
  const host = '127.0.0.1';
  const timeout = options.startTimeoutMs ?? 10_000;
  let port = 0;
  let child: ChildProcess | undefined;
  const args = (): string[] => [
    '--port',
    String(port),
    '--bind',
    host,
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    options.aof ? 'yes' : 'no',
    ...(options.aof && options.appendfsync ? ['--appendfsync', options.appendfsync] : []),
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    ...(options.args ?? []),
  ];
  const launch = async (): Promise<void> => {
    for (let tries = 0; ; tries++) {
      if (port === 0 || tries > 0) port = await freePort(host);
      const proc = spawn('redis-server', args(), { stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
      const ready = await Promise.race([pingRedis(host, port, timeout), exited.then(() => false)]);
      if (ready === true) {
        child = proc;
        return;
      }
      proc.kill('SIGKILL');
      if (tries >= 3) throw new Error(`redis-server did not start on ${host}:${port}`);
    }
  };
  const halt = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    // A process killed by a signal has exitCode null and signalCode set: it has exited too.
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  await launch();
  const fixedPort = port;
  return {
    host,
    get port() {
      return port;
    },
    get url() {
      return `redis://${host}:${port}`;
    },
    dir,
    async restart() {
      await halt();
      port = fixedPort;
      child = spawn('redis-server', args(), { stdio: 'ignore' });
      if (!(await pingRedis(host, port, timeout)))
        throw new Error(`redis-server did not restart on ${host}:${port}`);
    },
    async kill() {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const p = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(p));
    });
  });
}
