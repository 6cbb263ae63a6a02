// Gateway work per request in instructions: each target of the overhead bench (the bare proxy,
// the same proxy on undici, our gateway with keys off and as deployed) runs under valgrind's
// callgrind, serves a warm-up, then a counted batch of requests at a few connections, and the
// instructions its threads executed in that batch are divided by the requests. Unlike CPU time
// on a shared VM, the count does not move with other load on the host: a change that removes
// work shows here when gateway-overhead cannot tell it from noise (ADR 0037).
//
//   pnpm exec tsx test/bench/gateway-instructions.ts [--warmup 20000] [--requests 5000]
//     [--connections 10] [--functions 0] [--cache-sim]
//     [--targets bare-proxy,undici-proxy,gateway,gateway-deployed]
//
// With --functions N, each target also prints its N functions with the most self instructions
// per request on the main thread, JavaScript named from V8's perf map (node --perf-basic-prof;
// callgrind-functions.ts): what a change to the hot path should move.
//
// With --cache-sim, valgrind also simulates the caches of one core of this machine's CPU (32 KB
// first-level instruction and data caches, and a 512 KB second level as the last level: the
// third level is shared with the rest of the host and holds little of ours) and each target
// gets its second-level misses per request (instructions, data read, data written); with
// --functions, the functions with the most of them too. A miss there costs tens of cycles: on
// this VM they explain what the instruction count does not (docs/benchmarks.md).
//
// Instructions are not CPU time: how many run per second depends on caches and branches. And
// valgrind runs a process about 50 times slower, so the deployed gateway's timers (settles every
// 100 ms, lease renewals, metering flushes) weigh on about 50 times fewer requests than at full
// speed: its count is an upper bound, by up to about 10,000 instructions per request.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { startRedisServer } from '../support/redis-server.js';
import { BENCH_NODE_FLAGS, spawnBench } from './gateway/bench-processes.js';
import { selfCostByFunction } from './gateway/callgrind-functions.js';
import {
  CHAT_BODY as body,
  GATEWAY_BUILT as built,
  WORK_TARGET_NAMES as ALL,
  workTargets,
} from './gateway/work-targets.js';
import { intArg, targetsArg } from './gateway/bench-args.js';

const here = dirname(fileURLToPath(import.meta.url));
const warmup = intArg('warmup', 20000, 1);
const requests = intArg('requests', 5000, 1);
const connections = intArg('connections', 10, 1);
const functions = intArg('functions', 0, 0);
const cacheSim = process.argv.includes('--cache-sim');
const chosen = targetsArg(ALL);
/** One core's caches (AMD EPYC, Zen): the second level stands for the last. */
const CACHE_SIM = ['--cache-sim=yes', '--I1=32768,8,64', '--D1=32768,8,64', '--LL=524288,8,64'];
/** Second-level (simulated last-level) misses: instruction fetch, data read, data write. */
const L2_MISSES = ['ILmr', 'DLmr', 'DLmw'];
if (spawnSync('valgrind', ['--version']).error) {
  console.error('valgrind is not on PATH (apt-get install valgrind)');
  process.exit(2);
}

interface Counts {
  /** Instructions of the main thread (the event loop), and of every thread. */
  main: number;
  all: number;
  /** The main thread's total of each event (with --cache-sim, the cache misses too). */
  mainEvents: Record<string, number>;
}

/** Totals of a target's one dump (`callgrind_control -d`), a file per thread. */
async function readDump(dir: string, prefix: string): Promise<Counts> {
  const files = (await readdir(dir)).filter((f) => f.startsWith(prefix) && /-\d+$/.test(f));
  const counts: Counts = { main: 0, all: 0, mainEvents: {} };
  for (const f of files) {
    const text = await readFile(join(dir, f), 'utf8');
    const totals = (/^(?:summary|totals):\s+([\d ]+)/m.exec(text)?.[1] ?? '0').trim().split(' ');
    const n = Number(totals[0]);
    counts.all += n;
    if (!f.endsWith('-01')) continue;
    counts.main += n;
    const events = (/^events:\s+(.*)$/m.exec(text)?.[1] ?? 'Ir').trim().split(/\s+/);
    events.forEach((e, i) => (counts.mainEvents[e] = Number(totals[i] ?? 0)));
  }
  return counts;
}

/** The main thread's top functions by self instructions per request of the counted batch. */
async function printFunctions(name: string, pid: number): Promise<void> {
  const main = (await readdir(dir)).find((f) => f.startsWith(`${name}.`) && f.endsWith('-01'));
  const mapFile = `/tmp/perf-${pid}.map`;
  const dump = await readFile(join(dir, main!), 'utf8');
  const perfMap = await readFile(mapFile, 'utf8');
  await rm(mapFile, { force: true });
  const print = (what: string, top: [string, number][], digits: number) => {
    console.log(`${name}: ${what} per request, main thread`);
    for (const [fn, n] of top.slice(0, functions))
      console.log(
        `  ${(n / requests).toFixed(digits).padStart(7)}  ${fn.replace(/ \S*\/node_modules\//, ' ').replace(/ file:\/\/\S*?\/packages\//, ' packages/')}`,
      );
  };
  print('self instructions', selfCostByFunction(dump, perfMap), 0);
  if (cacheSim) print('self second-level misses', selfCostByFunction(dump, perfMap, L2_MISSES), 1);
}

/** Second-level misses per request of the main thread, in all and by kind. */
function l2Columns(events: Record<string, number>, n: number) {
  const per = (e: string) => Math.round((events[e] ?? 0) / n);
  return {
    l2MissesPerReq: L2_MISSES.reduce((sum, e) => sum + per(e), 0),
    l2InstrMissesPerReq: per('ILmr'),
    l2ReadMissesPerReq: per('DLmr'),
    l2WriteMissesPerReq: per('DLmw'),
  };
}

const dir = await mkdtemp(join(tmpdir(), 'bsc-gw-instr-'));
const redis = await startRedisServer();
const rows: Record<string, unknown>[] = [];
try {
  const upstream = await spawnBench(join(here, 'gateway/instant-upstream.ts'), []);
  const targets = await workTargets(`http://127.0.0.1:${upstream.port}`, redis.url);
  for (const [name, script, args, env, headers] of targets) {
    if (!chosen.includes(name)) continue;
    const out = join(dir, name);
    const proc = spawn(
      'valgrind',
      [
        '--tool=callgrind',
        '--separate-threads=yes',
        '--dump-instr=no',
        ...(cacheSim ? CACHE_SIM : []),
        `--callgrind-out-file=${out}.%p`,
        process.execPath,
        ...BENCH_NODE_FLAGS,
        // JIT code named in /tmp/perf-<pid>.map, where it stays (no code space compaction).
        ...(functions > 0 ? ['--perf-basic-prof', '--no-compact-code-space'] : []),
        // The gateway from its compiled dist/ (as in production) when it has been built.
        ...(built ? [] : ['--conditions=source']),
        '--import',
        'tsx',
        script,
        ...args,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...env } },
    );
    const port = await new Promise<number>((resolve, reject) => {
      createInterface({ input: proc.stdout }).once('line', (l) => resolve(Number(l)));
      proc.once('exit', (code) => reject(new Error(`${name} exited with ${code} under valgrind`)));
    });
    const pool = new Pool(`http://127.0.0.1:${port}`, { connections });
    const send = async (n: number) => {
      let left = n;
      let failed = 0;
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (left-- > 0) {
            const r = await pool.request({
              path: '/v1/chat/completions',
              method: 'POST',
              headers: { 'content-type': 'application/json', ...headers },
              body,
            });
            await r.body.text();
            if (r.statusCode !== 200) failed++;
          }
        }),
      );
      if (failed) throw new Error(`${name}: ${failed} of ${n} requests failed`);
    };
    const control = (cmd: string) =>
      execFileSync('callgrind_control', [cmd, String(proc.pid)], { stdio: 'ignore' });
    const progress = setInterval(() => process.stderr.write('.'), 10_000);
    try {
      await send(warmup);
      control('-z');
      const t0 = performance.now();
      await send(requests);
      const seconds = (performance.now() - t0) / 1000;
      control('-d');
      const counted = await readDump(dir, `${name}.`);
      // V8 compiles on its own threads: much work there means the JIT had not settled and the
      // main thread's count is not yet its steady state (10,000 requests were too few for the
      // deployed gateway on 2026-12-07: 295k instead of 242k).
      const jitSettled = counted.all <= 1.25 * counted.main;
      const l2 = cacheSim ? l2Columns(counted.mainEvents, requests) : undefined;
      rows.push({
        target: name,
        mainInstrPerReq: Math.round(counted.main / requests),
        allThreadsInstrPerReq: Math.round(counted.all / requests),
        reqPerSecUnderValgrind: Math.round(requests / seconds),
        jitSettled,
        ...l2,
      });
      process.stderr.write('\n');
      console.log(
        `${name.padEnd(17)} main ${(counted.main / requests / 1000).toFixed(1)}k  all threads ${(counted.all / requests / 1000).toFixed(1)}k instructions per request (${(requests / seconds).toFixed(0)} req/s under valgrind)`,
      );
      if (l2)
        console.log(
          `${name.padEnd(17)} second-level misses per request, main thread: ${l2.l2MissesPerReq} (instructions ${l2.l2InstrMissesPerReq}, data read ${l2.l2ReadMissesPerReq}, data written ${l2.l2WriteMissesPerReq})`,
        );
      if (!jitSettled)
        console.log(
          `${name}: other threads ran over a quarter as many instructions as the main thread; the JIT had not settled: raise --warmup`,
        );
      if (functions > 0) await printFunctions(name, proc.pid!);
    } finally {
      clearInterval(progress);
      await pool.close();
      proc.kill('SIGKILL');
    }
  }
  const proxy = rows[0]!;
  for (const r of rows) {
    r.mainVsProxy = Number(
      ((r.mainInstrPerReq as number) / (proxy.mainInstrPerReq as number)).toFixed(3),
    );
    r.allVsProxy = Number(
      ((r.allThreadsInstrPerReq as number) / (proxy.allThreadsInstrPerReq as number)).toFixed(3),
    );
    if (cacheSim)
      r.l2VsProxy = Number(
        ((r.l2MissesPerReq as number) / (proxy.l2MissesPerReq as number)).toFixed(3),
      );
  }
  await upstream.stop();
  console.log(`\n${JSON.stringify(rows)}`);
} finally {
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
}
