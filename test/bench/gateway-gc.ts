// Young-generation GC per target: how often a scavenge runs, how long it stops the process and
// how much it promotes, for the bare proxy, the gateway with keys off and as deployed, under
// the same closed-loop load (wrk). A gateway that keeps per-request objects alive past a
// scavenge (a long-lived Set or Map churned per request, ADR 0040) promotes them: its pauses
// grow and its tail latency with them, while the bare proxy promotes nothing. With
// --connection-close every request comes on a connection of its own (clients without
// keep-alive), which shows what is kept per connection.
//
//   pnpm exec tsx test/bench/gateway-gc.ts [--seconds 5] [--connections 10] [--warmup 8]
//     [--targets bare-proxy,gateway,gateway-deployed] [--connection-close]
import { intArg, targetsArg } from './gateway/bench-args.js';
import { spawnBench } from './gateway/bench-processes.js';
import { median } from './gateway/median-interval.js';
import {
  GATEWAY_BUILT as built,
  WORK_TARGET_NAMES,
  withWorkTargets,
} from './gateway/work-targets.js';

const seconds = intArg('seconds', 5, 1);
const connections = intArg('connections', 10, 1);
const warmup = intArg('warmup', 8, 0);
const chosen = targetsArg(WORK_TARGET_NAMES.filter((t) => t !== 'undici-proxy'));
const close = process.argv.includes('--connection-close');

/** One scavenge's figures from a --trace-gc-nvp line (`gc=s`): pause ms, promoted bytes. */
function scavenge(line: string): { pause: number; promoted: number } | undefined {
  if (!/\bgc=s\b/.test(line)) return undefined;
  const field = (name: string) => Number(new RegExp(`\\b${name}=([\\d.]+)`).exec(line)?.[1]);
  return { pause: field('pause'), promoted: field('promoted') };
}

await withWorkTargets('bsc-gw-gc-', async ({ targets: all, track, chat }) => {
  console.log(
    `young-generation GC at ${connections} connections${close ? ', a connection per request' : ''}, ${seconds} s after ${warmup} s of warm-up`,
  );
  console.log(
    'target             req/s  scavenges/1k req  pause p50 ms  pause max ms  promoted KB/scavenge p50',
  );
  for (const [name, script, args, env, headers] of all) {
    if (!chosen.includes(name)) continue;
    const seen: { pause: number; promoted: number }[] = [];
    let counting = false;
    const p = await spawnBench(script, args, env, !built, {
      nodeFlags: ['--trace-gc-nvp'],
      onLine: (l) => {
        const s = counting ? scavenge(l) : undefined;
        if (s) seen.push(s);
      },
    });
    track(p);
    const load = (s: number) =>
      chat(p, connections, s, close ? { ...headers, connection: 'close' } : headers);
    if (warmup > 0) await load(warmup);
    counting = true;
    const r = await load(seconds);
    counting = false;
    await p.stop();
    const pauses = seen.map((s) => s.pause);
    console.log(
      `${name.padEnd(17)} ${r.rps.toFixed(0).padStart(6)}  ${((seen.length * 1000) / Math.max(1, r.requests)).toFixed(2).padStart(16)}  ${(median(pauses) || 0).toFixed(2).padStart(12)}  ${Math.max(
        0,
        ...pauses,
      )
        .toFixed(2)
        .padStart(
          12,
        )}  ${((median(seen.map((s) => s.promoted)) || 0) / 1024).toFixed(1).padStart(24)}`,
    );
  }
});
