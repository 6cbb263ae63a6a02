// Gateway overhead benchmark: the same load against an instant upstream reached directly,
// through a bare 30-line Node reverse proxy, through our gateway with keys off, through our
// gateway as deployed (API keys, rate limits and budgets admitted in a real Redis, usage metered
// to it), and through a second bare proxy as an A/A check; plus express on the hot path for
// comparison. wrk (microsecond histogram) at 1/10/100 connections, an open-loop client at a
// fixed 1,000 req/s, non-streaming and streaming; the gateway's peak RSS; with --profile, a CPU
// profile of the gateway under load (top self-time functions).
//
//   pnpm exec tsx test/bench/gateway-overhead.ts [--seconds 5] [--rounds 9] [--processes 3]
//     [--profile] [--undici-proxy] [--json out.json]
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedisClient, createRedisKeyStore } from '@bascule/gateway';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { spawnBench, type BenchProcess } from './gateway/bench-processes.js';
import { runFixedRate, type FixedRateResult } from './gateway/fixed-rate.js';
import { median, medianInterval } from './gateway/median-interval.js';
import { runWrk, type WrkResult } from './gateway/run-wrk.js';
import { GATEWAY_BUILT as built } from './gateway/work-targets.js';
import {
  summarizeProfile,
  type CpuProfile,
  type ProfileLine,
} from './gateway/summarize-profile.js';

const here = dirname(fileURLToPath(import.meta.url));
/**
 * Median, lowest and highest of a few figures, and the interval that holds the median of what
 * they were drawn from with at least 95% probability (or the widest there is: medianInterval).
 */
const spread = (xs: number[]) => ({
  median: median(xs),
  min: Math.min(...xs),
  max: Math.max(...xs),
  ...medianInterval(xs),
});
/** The run whose `key` is the median (its other figures come with it). */
const medianBy = <T>(xs: T[], key: (x: T) => number) =>
  [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)]!;
const arg = (name: string, dflt?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : (process.argv[i + 1] ?? dflt);
};
const seconds = Number(arg('seconds', '5'));
// Nine rounds: the fewest whose median has a 95% interval narrower than lowest-to-highest.
const rounds = Number(arg('rounds', '9'));
// Three processes per target, three rounds each (ADR 0036).
const processes = Number(arg('processes', '3'));
if (!Number.isInteger(processes) || processes < 1) {
  console.error('--processes must be a positive integer');
  process.exit(2);
}
/** Warm-up runs of 2 s at 10 connections per process before any is measured. */
const WARMUP_RUNS = 4;
// Half a second at the fixed rate before each measured one opens the client's connections.
const FIXED_RATE_WARMUP_S = 0.5;
const profileOnly = process.argv.includes('--profile-only');
const profile = profileOnly || process.argv.includes('--profile');
// A second baseline, a bare proxy on undici (the gateway's upstream client): off in pnpm bench.
const withUndiciProxy = process.argv.includes('--undici-proxy');
const jsonOut = arg('json');
const gatewayScript = (mode: string, env: Record<string, string> = {}) =>
  spawnBench(join(here, 'gateway/gateway-server.ts'), [upstreamUrl, mode], env, !built);
let upstreamUrl = '';

const body = JSON.stringify({
  model: 'chat',
  messages: [{ role: 'user', content: 'Say hello in five words.' }],
  max_tokens: 16,
});
const streamBody = JSON.stringify({
  model: 'chat',
  messages: [{ role: 'user', content: 'Say hello in five words.' }],
  max_tokens: 16,
  stream: true,
});

const dir = await mkdtemp(join(tmpdir(), 'bsc-gw-bench-'));
const procs: BenchProcess[] = [];
const results: Record<string, unknown>[] = [];
let redis: RunningRedisServer | undefined;
try {
  redis = await startRedisServer();
  const admin = createRedisClient(redis.url);
  const apiKey = (await createRedisKeyStore(admin).create({ name: 'bench' })).key;
  admin.disconnect();
  const keyed = { authorization: `Bearer ${apiKey}` };
  const upstream = await spawnBench(join(here, 'gateway/instant-upstream.ts'), []);
  procs.push(upstream);
  upstreamUrl = `http://127.0.0.1:${upstream.port}`;
  // Each target but the upstream runs as `processes` separate processes, and round r measures
  // process r mod processes: one Node process can stay in a slower state for minutes (JIT and
  // memory layout), and a median over the rounds of one process does not sample that.
  const spawnAll = (spawn: () => Promise<BenchProcess>) =>
    Promise.all(Array.from({ length: processes }, spawn)).then((ps) => (procs.push(...ps), ps));
  const proxy = await spawnAll(() =>
    spawnBench(join(here, 'gateway/bare-proxy.ts'), [upstreamUrl]),
  );
  // An A/A check: a second bare proxy, identical to the first, measured like every target. Its
  // ratio to the first is what two identical processes differ by on this machine in this run:
  // the floor under which no ratio in the table means anything.
  const twin = await spawnAll(() => spawnBench(join(here, 'gateway/bare-proxy.ts'), [upstreamUrl]));
  const gateway = await spawnAll(() => gatewayScript('node'));
  const deployed = await spawnAll(() => gatewayScript('node', { BASCULE_BENCH_REDIS: redis!.url }));
  const allTargets: [string, BenchProcess[], Record<string, string>?][] = [
    ['direct', [upstream]],
    ['bare-proxy', proxy],
    ['gateway', gateway],
    ['gateway-deployed', deployed, keyed],
    ['bare-proxy-twin', twin],
  ];
  if (withUndiciProxy) {
    // non-streaming only: it buffers each answer
    const p = await spawnAll(() =>
      spawnBench(join(here, 'gateway/undici-proxy.ts'), [upstreamUrl]),
    );
    allTargets.splice(2, 0, ['undici-proxy', p]);
  }
  /** The process of a target that round `round` measures. */
  const pick = (ps: BenchProcess[], round: number) => ps[round % ps.length]!;
  const url = (port: number) => `http://127.0.0.1:${port}/v1/chat/completions`;

  // Warm-up (JIT, keep-alive pools), to steady state: a gateway serves for days, and its first
  // tens of thousands of requests and first changes of client connections still deoptimize and
  // recompile code (docs/benchmarks.md). Several runs, each with new connections.
  for (const [, ps, headers] of allTargets)
    for (const p of ps)
      for (let run = 0; run < WARMUP_RUNS; run++)
        await runWrk({ url: url(p.port), body, connections: 10, seconds: 2, dir, headers });

  for (const [mode, b] of profileOnly
    ? []
    : ([
        ['non-streaming', body],
        ['streaming', streamBody],
      ] as const)) {
    const targets =
      mode === 'streaming' ? allTargets.filter(([n]) => n !== 'undici-proxy') : allTargets;
    for (const connections of [1, 10, 100]) {
      // Rounds interleave the targets, and each cell is the median of its rounds: on a shared
      // VM one round can swing by a quarter, and interleaving gives every target the same luck.
      const cells = new Map<string, { r: WrkResult; cpuUsPerReq: number }[]>();
      for (let round = 0; round < rounds; round++)
        for (const [name, ps, headers] of targets) {
          const p = pick(ps, round);
          const cpu0 = await p.cpuSeconds();
          const r = await runWrk({ url: url(p.port), body: b, connections, seconds, dir, headers });
          // CPU time per request of the process under test: robust to other load on the machine.
          const cpuUsPerReq = (((await p.cpuSeconds()) - cpu0) * 1e6) / Math.max(1, r.requests);
          cells.set(name, [...(cells.get(name) ?? []), { r, cpuUsPerReq }]);
        }
      const proxyRuns = cells.get('bare-proxy')!;
      const directRuns = cells.get('direct')!;
      for (const [name, runs] of cells) {
        const r = medianBy(runs, (x) => x.r.rps).r;
        const cpuUsPerReq = median(runs.map((x) => x.cpuUsPerReq));
        const p50Ms = median(runs.map((x) => x.r.p50Ms));
        const p99Ms = median(runs.map((x) => x.r.p99Ms));
        // Each round's ratio to the bare proxy's run beside it: the host's swings between rounds
        // cancel, and the spread of the rounds says how far one figure can be trusted.
        const vsProxy = (f: (x: (typeof runs)[number]) => number) =>
          spread(runs.map((x, i) => f(x) / f(proxyRuns[i]!)));
        // Latency added over the direct run beside it, round by round, for the same reason.
        const overDirect = (f: (x: (typeof runs)[number]) => number) =>
          spread(runs.map((x, i) => f(x) - f(directRuns[i]!)));
        results.push({
          kind: 'closed-loop',
          mode,
          target: name,
          connections,
          cpuUsPerReq,
          ...r,
          p50Ms,
          p99Ms,
          rounds,
          processes,
          ...(name === 'bare-proxy'
            ? {}
            : { rpsVsProxy: vsProxy((x) => x.r.rps), cpuVsProxy: vsProxy((x) => x.cpuUsPerReq) }),
          ...(name === 'direct'
            ? {}
            : {
                addedP50Us: overDirect((x) => x.r.p50Ms * 1000),
                addedP99Ms: overDirect((x) => x.r.p99Ms),
              }),
        });
        console.log(
          `${mode.padEnd(13)} c=${String(connections).padStart(3)} ${name.padEnd(16)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${p50Ms.toFixed(3)} ms  p99 ${p99Ms.toFixed(3)} ms  cpu ${cpuUsPerReq.toFixed(0)} us/req  errors ${r.non2xx + r.socketErrors}  (median of ${rounds})`,
        );
      }
    }
    // The twin is for the closed-loop ratios only.
    const paced = targets.filter(([n]) => n !== 'bare-proxy-twin');
    for (const [name, [p], headers] of paced) {
      // ~1,000 req/s from wrk: 10 connections, each pausing 10 ms between requests.
      const w = await runWrk({
        url: url(p!.port),
        body: b,
        connections: 10,
        seconds,
        dir,
        delayMs: 10,
        headers,
      });
      results.push({ kind: 'paced', mode, target: name, ...w });
      console.log(
        `${mode.padEnd(13)} ~1000/s ${name.padEnd(16)} ${w.rps.toFixed(0).padStart(6)} req/s  p50 ${w.p50Ms.toFixed(3)} ms  p99 ${w.p99Ms.toFixed(3)} ms  errors ${w.non2xx + w.socketErrors}`,
      );
    }
    // Streaming's first byte is a target (issue 19): judged like the closed-loop figures, on
    // interleaved rounds, each against the direct run beside it (ADR 0038). Non-streaming at a
    // fixed rate is shown, not judged: one round.
    const fixedRounds = mode === 'streaming' ? rounds : 1;
    const fixed = new Map<string, FixedRateResult[]>();
    for (let round = 0; round < fixedRounds; round++)
      for (const [name, ps, headers] of paced) {
        const p = pick(ps, round);
        const r = await runFixedRate({
          url: url(p.port),
          body: b,
          rate: 1000,
          seconds,
          warmupSeconds: FIXED_RATE_WARMUP_S,
          headers,
        });
        fixed.set(name, [...(fixed.get(name) ?? []), r]);
      }
    const directFixed = fixed.get('direct')!;
    for (const [name, runs] of fixed) {
      const overDirect = (f: (x: FixedRateResult) => number) =>
        spread(runs.map((x, i) => f(x) - f(directFixed[i]!)));
      const m = {
        kind: 'fixed-rate',
        mode,
        target: name,
        rate: 1000,
        ok: runs.reduce((n, x) => n + x.ok, 0),
        sent: runs.reduce((n, x) => n + x.sent, 0),
        p50Ms: median(runs.map((x) => x.p50Ms)),
        p99Ms: median(runs.map((x) => x.p99Ms)),
        ttftP50Ms: median(runs.map((x) => x.ttftP50Ms)),
        ttftP99Ms: median(runs.map((x) => x.ttftP99Ms)),
        rounds: fixedRounds,
        ...(name === 'direct'
          ? {}
          : {
              addedTtftP50Ms: overDirect((x) => x.ttftP50Ms),
              addedTtftP99Ms: overDirect((x) => x.ttftP99Ms),
            }),
      };
      results.push(m);
      console.log(
        `${mode.padEnd(13)} 1000/s ${name.padEnd(16)} ok ${m.ok}/${m.sent}  p50 ${m.p50Ms.toFixed(3)} ms  p99 ${m.p99Ms.toFixed(3)} ms  ttft p50 ${m.ttftP50Ms.toFixed(3)} ms  ttft p99 ${m.ttftP99Ms.toFixed(3)} ms  (median of ${fixedRounds})`,
      );
    }
  }
  if (profileOnly)
    await runWrk({ url: url(gateway[0]!.port), body, connections: 100, seconds, dir }).then((r) =>
      console.log(`gateway c=100 ${r.rps.toFixed(0)} req/s p99 ${r.p99Ms.toFixed(3)} ms`),
    );
  for (const [name, ps] of [
    ['gateway', gateway],
    ['gateway-deployed', deployed],
  ] as const) {
    // The highest of the target's processes.
    const peak = Math.max(...(await Promise.all(ps.map((p) => p.peakRssMiB()))));
    results.push({ kind: 'memory', target: name, peakRssMiB: peak });
    console.log(`${name} peak RSS ${peak.toFixed(1)} MiB (highest of ${ps.length} processes)`);
    for (const p of ps) await p.stop();
  }

  // express on the hot path, for the decision record.
  const viaExpress = await gatewayScript('express');
  procs.push(viaExpress);
  await runWrk({ url: url(viaExpress.port), body, connections: 10, seconds: 1, dir });
  for (const connections of profileOnly ? [] : [10, 100]) {
    const r = await runWrk({ url: url(viaExpress.port), body, connections, seconds, dir });
    results.push({
      kind: 'closed-loop',
      mode: 'non-streaming',
      target: 'gateway-express',
      connections,
      ...r,
    });
    console.log(
      `non-streaming c=${String(connections).padStart(3)} gw-express ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(3)} ms  p99 ${r.p99Ms.toFixed(3)} ms`,
    );
  }
  await viaExpress.stop();

  if (profile) {
    const out = join(dir, 'gateway.cpuprofile');
    // The gateway as deployed (keys in Redis, metering on) is the one profiled.
    const profiled = await gatewayScript('node', {
      BASCULE_BENCH_PROFILE: out,
      BASCULE_BENCH_REDIS: redis.url,
    });
    procs.push(profiled);
    const h = { url: url(profiled.port), body, connections: 100, dir, headers: keyed };
    await runWrk({ ...h, seconds: 1 });
    profiled.proc.kill('SIGUSR2');
    const served = await runWrk({ ...h, seconds });
    await profiled.stop();
    const top = summarizeProfile(
      JSON.parse(await readFile(out, 'utf8')) as CpuProfile,
      served.requests,
    );
    results.push({ kind: 'profile', ...top });
    // Share of all samples (idle included) and µs per request served while profiling.
    const show = (l: ProfileLine) =>
      `  ${l.share.toFixed(1).padStart(5)}%  ${(l.usPerRequest ?? 0).toFixed(2).padStart(7)} µs/req  ${l.name}`;
    console.log(
      '\nCPU profile of the gateway as deployed at 100 connections, after warm-up (self time):',
    );
    for (const g of top.groups) console.log(show(g));
    console.log('  top functions:');
    for (const f of top.functions) console.log(show(f));
    console.log('  timer and setImmediate callbacks, with what they call:');
    for (const b of top.background) console.log(show(b));
  }
  console.log(`gateway code: ${built ? 'compiled dist/' : 'TypeScript source via tsx'}`);
  console.log(
    `load average at the end: ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}`,
  );
  console.log(`\n${JSON.stringify(results)}`);
  if (jsonOut) await writeFile(jsonOut, JSON.stringify(results, null, 2));
} finally {
  for (const p of procs) await p.stop();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
}
