import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedisClient, createRedisKeyStore } from '@bascule/gateway';
import { startRedisServer } from '../../support/redis-server.js';
import { spawnBench, type BenchProcess } from './bench-processes.js';
import { runWrk, type WrkResult } from './run-wrk.js';

const here = dirname(fileURLToPath(import.meta.url));

/** One process to measure: its name, script, arguments, environment and request headers. */
export type WorkTarget = [
  name: string,
  script: string,
  args: string[],
  env: Record<string, string>,
  headers: Record<string, string>,
];

/** The names of workTargets' four processes, in its order (for a bench's --targets). */
export const WORK_TARGET_NAMES: readonly string[] = [
  'bare-proxy',
  'undici-proxy',
  'gateway',
  'gateway-deployed',
];

/** The chat request every target serves (the same as gateway-overhead's non-streaming one). */
export const CHAT_BODY = JSON.stringify({
  model: 'chat',
  messages: [{ role: 'user', content: 'Say hello in five words.' }],
  max_tokens: 16,
});

/** Whether the gateway has been built: benches then run it from dist/, as production does. */
export const GATEWAY_BUILT = existsSync(join(here, '../../../packages/gateway/dist/index.js'));

/** The gateway bench script (gateway-server.ts): compiled from dist/ when it has been built. */
export const GATEWAY_SCRIPT = join(here, 'gateway-server.ts');

/**
 * The four processes whose work per request the instruction and allocation benches compare,
 * in order: the bare proxy, the undici proxy, the gateway with keys off, and the gateway as
 * deployed (an API key made in `redisUrl`, metering to it).
 */
export async function workTargets(upstreamUrl: string, redisUrl: string): Promise<WorkTarget[]> {
  const admin = createRedisClient(redisUrl);
  const apiKey = (await createRedisKeyStore(admin).create({ name: 'bench' })).key;
  admin.disconnect();
  return [
    ['bare-proxy', join(here, 'bare-proxy.ts'), [upstreamUrl], {}, {}],
    ['undici-proxy', join(here, 'undici-proxy.ts'), [upstreamUrl], {}, {}],
    ['gateway', GATEWAY_SCRIPT, [upstreamUrl, 'node'], {}, {}],
    [
      'gateway-deployed',
      GATEWAY_SCRIPT,
      [upstreamUrl, 'node'],
      { BASCULE_BENCH_REDIS: redisUrl },
      { authorization: `Bearer ${apiKey}` },
    ],
  ];
}

/**
 * A bench's rig: the instant upstream, a Redis for the deployed gateway's keys, a temporary
 * directory and the work targets for them, and `chat`: wrk sending CHAT_BODY to a target.
 * Every process passed to `track` is stopped, the Redis too and the directory removed, after
 * `run` (or when it throws).
 */
export async function withWorkTargets(
  prefix: string,
  run: (rig: {
    targets: WorkTarget[];
    dir: string;
    track: (p: BenchProcess) => void;
    chat: (
      p: BenchProcess,
      connections: number,
      seconds: number,
      headers: Record<string, string>,
    ) => Promise<WrkResult>;
  }) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const redis = await startRedisServer();
  const procs: BenchProcess[] = [];
  try {
    const upstream = await spawnBench(join(here, 'instant-upstream.ts'), []);
    procs.push(upstream);
    const targets = await workTargets(`http://127.0.0.1:${upstream.port}`, redis.url);
    await run({
      targets,
      dir,
      track: (p) => void procs.push(p),
      chat: (p, connections, seconds, headers) =>
        runWrk({
          url: `http://127.0.0.1:${p.port}/v1/chat/completions`,
          body: CHAT_BODY,
          connections,
          seconds,
          dir,
          headers,
        }),
    });
  } finally {
    for (const p of procs) await p.stop();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
