import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '@bascule/cli';
import { queueAdmit, queueAuthenticate, startApi, type RunningApi } from '@bascule/control-plane';
import { QueueContext, createLocalFileStorage, createQueueHandler } from '@bascule/queue';
import {
  createKeyAuthenticator,
  createRedisClient,
  createRedisKeyStore,
  type Redis,
  type ServerTimeouts,
} from '@bascule/gateway';
import { createKubeClient } from '@bascule/kube';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { startHarness, type Harness } from '../../controller/support/controller-harness.js';
import { startRedisServer, type RunningRedisServer } from '../../support/redis-server.js';

export const ADMIN = 'bsc-bootstrap-admin-key-for-tests-0123456789';

/** Fits every example at one replica (as test/controller/examples-ready.test.ts). */
export const ALL_EXAMPLES_NODES = 'h100:2x8,h200:1x8,l4:2x1,a10g:1x1';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** kube-sim + controller + Redis + the control API on 127.0.0.1, with bascule and HTTP helpers. */
export interface ApiStack {
  h: Harness;
  redis: Redis;
  /** The stack's own redis-server (tests kill and restart it). */
  redisServer: RunningRedisServer;
  api: RunningApi;
  /** Scratch directory (bascule config, queue files); removed by close(). */
  dir: string;
  bascule(args: string[], token?: string): Promise<CliResult>;
  call(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    type?: string,
  ): Promise<Response>;
  close(): Promise<void>;
}

export async function startApiStack(
  nodes = ALL_EXAMPLES_NODES,
  timeouts: Partial<ServerTimeouts> = {},
): Promise<ApiStack> {
  const dir = mkdtempSync(join(tmpdir(), 'bsc-api-'));
  let h: Harness | undefined;
  let redisServer: RunningRedisServer | undefined;
  let redis: Redis | undefined;
  let queues: QueueContext | undefined;
  let api: RunningApi | undefined;
  const close = async () => {
    await api?.close();
    await queues?.close();
    redis?.disconnect();
    await redisServer?.stop();
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    h = await startHarness(nodes);
    await h.startController();
    redisServer = await startRedisServer({ aof: true, appendfsync: 'always' });
    redis = createRedisClient(redisServer.url);
    redis.on('error', () => undefined);
    queues = new QueueContext({
      redisUrl: redisServer.url,
      storage: createLocalFileStorage(join(dir, 'files')),
    });
    const auth = createKeyAuthenticator({ redis, adminKey: ADMIN });
    api = await startApi(
      {
        queue: createQueueHandler({
          context: queues,
          authenticate: queueAuthenticate(auth),
          admit: queueAdmit(auth),
        }),
        kube: createKubeClient({ kubeconfig: h.kubeconfig }),
        redis,
        keys: createRedisKeyStore(redis),
        auth,
        logger: pino({ level: 'silent' }),
        registry: new Registry(),
        namespace: 'default',
      },
      '127.0.0.1',
      0,
      timeouts,
    );
  } catch (err) {
    await close();
    throw err;
  }
  const url = api.url;
  return {
    h,
    redis,
    redisServer: redisServer,
    api,
    dir,
    async bascule(args, token = ADMIN) {
      let stdout = '';
      let stderr = '';
      const code = await runCli(args, {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s) },
        stdin: Readable.from(['']),
        env: {
          BASCULE_SERVER: url,
          BASCULE_TOKEN: token,
          BASCULE_CONFIG: join(dir, 'config.json'),
        },
      });
      return { code, stdout, stderr };
    },
    call: (method, path, body?, token = ADMIN, type = 'application/json') =>
      fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': type } : {}),
        },
        ...(body !== undefined
          ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
          : {}),
      }),
    close,
  };
}
