// Bytes allocated per request, and where: V8's sampling heap profiler (objects since collected
// included) in the bare proxy, the undici proxy, the gateway with keys off and as deployed, each
// under wrk at 10 connections after a warm-up. Allocation does not move with the host's load
// as CPU time does, so it shows what a change to the hot path saves.
//
// With --promoted only what survived a young-generation GC is counted (promoted, or live at the
// end), with the largest sites of every target: what makes scavenges slow (ADR 0040). With
// --connection-close every request comes on a connection of its own.
//
//   pnpm exec tsx test/bench/gateway-allocation.ts [--seconds 4] [--json out.json]
//     [--targets bare-proxy,gateway,...] [--promoted] [--connection-close]
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startRedisServer } from '../support/redis-server.js';
import { spawnBench } from './gateway/bench-processes.js';
import {
  CHAT_BODY as body,
  GATEWAY_BUILT as built,
  GATEWAY_SCRIPT,
  WORK_TARGET_NAMES,
  workTargets,
} from './gateway/work-targets.js';
import { runWrk } from './gateway/run-wrk.js';
import { targetsArg } from './gateway/bench-args.js';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : (process.argv[i + 1] ?? dflt);
};
const seconds = Number(arg('seconds', '4'));
if (!(seconds > 0)) {
  console.error('--seconds must be a positive number');
  process.exit(2);
}
const jsonOut = process.argv.includes('--json') ? arg('json', '') : '';
const chosen = targetsArg(WORK_TARGET_NAMES);
const promoted = process.argv.includes('--promoted');
const close = process.argv.includes('--connection-close');

interface HeapNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children: HeapNode[];
}
interface HeapProfile {
  head: HeapNode;
  samples: { size: number; nodeId: number }[];
}

/** Bytes per request by allocation site (function, file, line), largest first. */
function bySite(profile: HeapProfile, requests: number): { site: string; bytes: number }[] {
  const nodes = new Map<number, HeapNode>();
  const walk = (n: HeapNode) => {
    nodes.set(n.id, n);
    for (const c of n.children) walk(c);
  };
  walk(profile.head);
  const sites = new Map<string, number>();
  for (const s of profile.samples) {
    const f = nodes.get(s.nodeId)!.callFrame;
    const file = f.url.replace(/.*node_modules\//, '').replace(/.*packages\//, 'packages/');
    const site = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    sites.set(site, (sites.get(site) ?? 0) + s.size);
  }
  return [...sites]
    .map(([site, b]) => ({ site, bytes: Math.round(b / requests) }))
    .sort((a, b) => b.bytes - a.bytes);
}

const dir = await mkdtemp(join(tmpdir(), 'bsc-gw-alloc-'));
const redis = await startRedisServer();
try {
  const upstream = await spawnBench(join(here, 'gateway/instant-upstream.ts'), []);
  const targets = await workTargets(`http://127.0.0.1:${upstream.port}`, redis.url);
  const preload = `--import=${pathToFileURL(join(here, 'gateway/heap-sampling.mjs')).href}`;
  const rows: { target: string; requests: number; kbPerRequest: number }[] = [];
  let deployedSites: { site: string; bytes: number }[] = [];
  for (const [name, script, args, env, keyHeaders] of targets) {
    if (!chosen.includes(name)) continue;
    const headers = close ? { ...keyHeaders, connection: 'close' } : keyHeaders;
    const out = join(dir, `${name}.heapprofile`);
    const p = await spawnBench(
      script,
      args,
      {
        ...env,
        NODE_OPTIONS: preload,
        BASCULE_BENCH_HEAP_OUT: out,
        ...(promoted ? { BASCULE_BENCH_HEAP_PROMOTED: '1' } : {}),
      },
      !(built && script === GATEWAY_SCRIPT),
    );
    try {
      const url = `http://127.0.0.1:${p.port}/v1/chat/completions`;
      // Warm-up: the JIT settles and the keep-alive pools fill before anything is counted.
      for (let i = 0; i < 3; i++)
        await runWrk({ url, body, connections: 10, seconds: 3, dir, headers });
      p.proc.kill('SIGWINCH');
      const w = await runWrk({ url, body, connections: 10, seconds, dir, headers });
      if (w.non2xx + w.socketErrors > 0) throw new Error(`${name}: requests failed`);
      p.proc.kill('SIGWINCH');
      const deadline = Date.now() + 30_000;
      while (!existsSync(out)) {
        if (Date.now() > deadline) throw new Error(`${name} wrote no heap profile`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // The file is written in one call; wait until it parses.
      let profile: HeapProfile | undefined;
      while (!profile) {
        try {
          profile = JSON.parse(await readFile(out, 'utf8')) as HeapProfile;
        } catch {
          if (Date.now() > deadline) throw new Error(`${name}: heap profile unreadable`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const total = profile.samples.reduce((n, s) => n + s.size, 0);
      rows.push({
        target: name,
        requests: w.requests,
        kbPerRequest: Number((total / w.requests / 1024).toFixed(1)),
      });
      console.log(
        `${name.padEnd(17)} ${(total / w.requests / 1024).toFixed(1)} KB ${promoted ? 'survived a scavenge' : 'allocated'} per request (${w.requests} requests)`,
      );
      if (promoted)
        for (const site of bySite(profile, w.requests).slice(0, 8))
          console.log(`  ${String(site.bytes).padStart(6)}  ${site.site}`);
      if (name === 'gateway-deployed') deployedSites = bySite(profile, w.requests);
    } finally {
      await p.stop();
    }
  }
  await upstream.stop();
  // Our code's sites in the deployed gateway: what the hot path itself allocates.
  const ours = deployedSites.filter((s) => s.site.includes('packages/')).slice(0, 12);
  if (ours.length > 0) {
    console.log('\nlargest allocation sites of our code, gateway as deployed (bytes per request):');
    for (const s of ours) console.log(`  ${String(s.bytes).padStart(6)}  ${s.site}`);
  }
  const result = { targets: rows, oursAsDeployed: ours };
  console.log(`\n${JSON.stringify(result)}`);
  if (jsonOut) await writeFile(jsonOut, JSON.stringify(result, null, 2));
} finally {
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
}
