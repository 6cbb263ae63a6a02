// CPU time per request with the processes kept apart: each target (the four of the instruction
// and allocation benches, work-targets.ts) runs pinned to the last core, while wrk, the instant
// upstream and Redis share core 0. On a 2-core VM gateway-overhead lets them all share both
// cores, so every process evicts the others' caches and a target's CPU per request moves with
// its neighbours; pinned, two identical processes agree more closely and a ratio to the bare
// proxy shows smaller changes. Rounds interleave the targets; each round's ratio is taken to
// the bare proxy's run beside it, and the median ratio comes with its 95% interval.
//
// Throughput here is no figure of the issue's: with the load generator and the upstream on
// one core, it says how fast core 0 is. Use gateway-overhead for req/s and latency.
//
//   pnpm exec tsx test/bench/gateway-pinned.ts [--rounds 8] [--seconds 3] [--connections 10]
//     [--warmup 10] [--targets bare-proxy,undici-proxy,gateway,gateway-deployed]
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { spawnBench, type BenchProcess } from './gateway/bench-processes.js';
import { median, medianInterval } from './gateway/median-interval.js';
import {
  GATEWAY_BUILT as built,
  WORK_TARGET_NAMES as ALL,
  withWorkTargets,
} from './gateway/work-targets.js';
import { intArg, targetsArg, usageError as fail } from './gateway/bench-args.js';

const rounds = intArg('rounds', 8, 1);
const seconds = intArg('seconds', 3, 1);
const connections = intArg('connections', 10, 1);
const warmup = intArg('warmup', 10, 0);
const chosen = targetsArg(ALL);
const cores = availableParallelism();
if (cores < 2) fail('gateway-pinned needs two cores: one for the targets, one for the load');
const pin = (pid: number, core: number) =>
  execFileSync('taskset', ['-apc', String(core), String(pid)], { stdio: 'ignore' });
try {
  pin(process.pid, 0); // everything this process starts from here on inherits core 0
} catch {
  fail('gateway-pinned needs taskset (util-linux) to pin processes to cores');
}
const targetCore = cores - 1;

await withWorkTargets('bsc-gw-pinned-', async ({ targets: all, track, chat }) => {
  /** Each chosen target with its CPU µs per request and req/s, a figure per round. */
  const targets: {
    name: string;
    p: BenchProcess;
    headers: Record<string, string>;
    cpu: number[];
    rps: number[];
  }[] = [];
  for (const [name, script, args, env, headers] of all) {
    if (!chosen.includes(name)) continue;
    const p = await spawnBench(script, args, env, !built);
    track(p);
    pin(p.pid, targetCore);
    targets.push({ name, p, headers, cpu: [], rps: [] });
  }
  const load = (p: BenchProcess, headers: Record<string, string>, s: number) =>
    chat(p, connections, s, headers);
  if (warmup > 0) for (const { p, headers } of targets) await load(p, headers, warmup);
  for (let round = 0; round < rounds; round++) {
    for (const t of targets) {
      const cpu0 = await t.p.cpuSeconds();
      const r = await load(t.p, t.headers, seconds);
      if (r.non2xx + r.socketErrors > 0)
        throw new Error(`${t.name}: ${r.non2xx} non-2xx answers, ${r.socketErrors} socket errors`);
      t.cpu.push((((await t.p.cpuSeconds()) - cpu0) * 1e6) / r.requests);
      t.rps.push(r.rps);
    }
    process.stderr.write(`round ${round + 1}/${rounds}\n`);
  }
  const base = targets.find((t) => t.name === 'bare-proxy')!.cpu;
  console.log(
    `pinned (targets on core ${targetCore}, load on core 0), ${connections} connections, ${rounds} rounds of ${seconds} s`,
  );
  for (const { name, cpu, rps } of targets) {
    const ratios = cpu.map((x, i) => x / base[i]!);
    const { lo, hi, coverage } = medianInterval(ratios);
    const ratioText =
      name === 'bare-proxy'
        ? ''
        : `  ${median(ratios).toFixed(2)}x the bare proxy (${lo.toFixed(2)}-${hi.toFixed(2)}, ${Math.round(coverage * 100)}%)`;
    console.log(
      `${name.padEnd(17)} cpu ${median(cpu).toFixed(1).padStart(6)} us/req${ratioText}  (${median(rps).toFixed(0)} req/s)`,
    );
  }
});
