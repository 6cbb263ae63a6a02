// `pnpm bench`: runs every benchmark under test/bench/ one after the other, collects the JSON each
// prints, describes the machine, and writes docs/benchmarks.md (the generated part, between
// markers, leaving the hand-written sections alone), docs/benchmarks.json (raw results) and the
// trace-replay charts docs/img/replay-*.svg (drawn from those results).
//
//   pnpm bench [--full] [--only name,name] [--no-write]
//   pnpm bench --render   (rewrite docs/benchmarks.md and the charts from docs/benchmarks.json)
//
// --only keeps the other benchmarks' earlier results in the page, each marked with its run.
//
// Quick mode (default) uses small sizes so the whole run finishes in a few minutes on 2 cores;
// --full uses each script's own defaults (1,000 Models, 10,000 pods, ...). A benchmark that fails
// is reported in the doc with its error and the runner exits non-zero after writing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout, clearTimeout } from 'node:timers';
import { renderGenerated, mergeIntoDoc } from './bench/render.mjs';
import { replayCharts } from './bench/replay-charts.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const full = argv.includes('--full');
const noWrite = argv.includes('--no-write');
const renderOnly = argv.includes('--render');
const onlyIdx = argv.indexOf('--only');
const only = onlyIdx < 0 ? null : new Set((argv[onlyIdx + 1] ?? '').split(','));
for (const a of argv)
  if (a.startsWith('--') && !['--full', '--no-write', '--only', '--render'].includes(a)) {
    console.error(
      `pnpm bench: unknown option ${a} (known: --full, --only a,b, --no-write, --render)`,
    );
    process.exit(2);
  }

const tmp = mkdtempSync(join(tmpdir(), 'bascule-bench-'));
const replayOut = join(tmp, 'replay.json');
const onPath = (tool) => spawnSync(tool, ['--version'], { encoding: 'utf8' }).error === undefined;
const hasWrk = onPath('wrk');
/** Tools a benchmark may need (`needs`): without one it is skipped with a note. */
const TOOLS = {
  wrk: { present: hasWrk, usedTo: 'drives load with wrk' },
  valgrind: { present: onPath('valgrind'), usedTo: 'counts instructions with callgrind' },
};

/** Each benchmark: its script, quick and full arguments, a time limit, and where its JSON is. */
const BENCHES = [
  {
    name: 'gateway-overhead',
    title: 'Gateway overhead: direct vs bare proxy vs gateway',
    script: 'test/bench/gateway-overhead.ts',
    quick: ['--seconds', '2'],
    full: ['--seconds', '5'],
    needs: 'wrk',
    timeoutS: { quick: 1500, full: 3300 },
  },
  {
    name: 'gateway-instructions',
    title: 'Gateway work per request in instructions (callgrind): bare proxy vs gateway',
    script: 'test/bench/gateway-instructions.ts',
    quick: ['--warmup', '20000', '--requests', '3000', '--cache-sim'],
    full: ['--warmup', '20000', '--requests', '5000', '--cache-sim'],
    needs: 'valgrind',
    timeoutS: { quick: 2400, full: 3600 },
  },
  {
    name: 'gateway-allocation',
    title: 'Gateway allocation per request (sampling heap profiler): bare proxy vs gateway',
    script: 'test/bench/gateway-allocation.ts',
    quick: ['--seconds', '4'],
    full: ['--seconds', '8'],
    needs: 'wrk',
    timeoutS: { quick: 300, full: 600 },
  },
  {
    name: 'gateway-complexity-scorer',
    title: 'Routing decision cost (decideRoute, complexity scorer)',
    script: 'test/bench/gateway-complexity-scorer.ts',
    quick: ['--calls', '20000'],
    full: ['--calls', '200000'],
    timeoutS: { quick: 120, full: 600 },
  },
  {
    name: 'router-strengths-calibration',
    title: 'Strengths and calibration: detection, ranking, threshold lookup and refresh',
    script: 'test/bench/router-strengths-calibration.ts',
    quick: ['--calls', '20000'],
    full: ['--calls', '200000'],
    timeoutS: { quick: 120, full: 600 },
  },
  {
    name: 'privacy-detection',
    title: 'Privacy detection: cost per KB of prompt, precision and recall',
    script: 'test/bench/privacy-detection.ts',
    quick: ['--calls', '1000'],
    full: ['--calls', '10000'],
    timeoutS: { quick: 120, full: 600 },
  },
  {
    name: 'controller-scale',
    title: 'Controller: Models at scale, and apply to Ready',
    script: 'test/bench/controller-scale.ts',
    quick: ['200', '8', '0', '4'],
    full: ['1000', '8', '0', '16'],
    timeoutS: { quick: 240, full: 900 },
  },
  {
    name: 'kube-sim-scale',
    title: 'kube-sim API server at scale',
    script: 'test/bench/kube-sim-scale.ts',
    quick: ['200', '2000', '20', '50'],
    full: ['1000', '10000', '100', '200'],
    timeoutS: { quick: 180, full: 900 },
  },
  {
    name: 'kube-sim-cluster',
    title: 'kube-sim cluster: Deployment to Available, rollout',
    script: 'test/bench/kube-sim-cluster.ts',
    quick: ['60', 'h100:10x8,cpu:10'],
    full: ['300', 'h100:40x8,cpu:40'],
    timeoutS: { quick: 180, full: 900 },
  },
  {
    name: 'engine-sim-capacity',
    title: 'engine-sim: concurrent streams per process',
    script: 'test/bench/engine-sim-capacity.ts',
    quick: ['100,250', '4', '50'],
    full: ['250,500,1000,2000', '8', '100'],
    timeoutS: { quick: 180, full: 900 },
  },
  {
    name: 'queue-throughput',
    title: 'Queue throughput: ours vs raw BullMQ',
    script: 'test/bench/queue-throughput.ts',
    quick: ['1000'],
    full: ['4000'],
    timeoutS: { quick: 240, full: 900 },
  },
  {
    name: 'replay-traces',
    title: 'Trace replay: scaling policies compared',
    script: 'test/bench/replay-traces.ts',
    quick: [replayOut, '--seeds', '3'],
    full: [replayOut, '--seeds', '5'],
    jsonFile: replayOut,
    shown: ['<tmp>/replay.json'],
    timeoutS: { quick: 1800, full: 3600 },
  },
];

if (only) {
  const unknown = [...only].filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length) {
    console.error(
      `pnpm bench: --only names unknown benchmark(s) ${unknown.join(', ')} (known: ${BENCHES.map((b) => b.name).join(', ')})`,
    );
    rmSync(tmp, { recursive: true, force: true });
    process.exit(2);
  }
}

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function machine() {
  const c = cpus();
  const memTotal = totalmem();
  return {
    date: new Date().toISOString(),
    mode: full ? 'full' : 'quick',
    cpuModel: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: Number((memTotal / 2 ** 30).toFixed(1)),
    freeMemoryGiB: Number((freemem() / 2 ** 30).toFixed(1)),
    node: process.version,
    os: `${process.platform} ${sh('uname', ['-r']) ?? ''}`.trim(),
    loadAverageAtStart: loadavg().map((x) => Number(x.toFixed(2))),
    wrk: hasWrk ? (sh('wrk', ['--version'])?.split('\n')[0] ?? 'present') : null,
    commit: sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']) ?? null,
  };
}

/** The last stdout line that parses as JSON (each script prints its results as one line). */
function lastJsonLine(stdout) {
  const lines = stdout.split('\n').map((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i];
    if (!l.startsWith('{') && !l.startsWith('[')) continue;
    try {
      return JSON.parse(l);
    } catch {
      // not JSON: keep looking
    }
  }
  return undefined;
}

/** The benchmark running now (its own process group, so a stop can end all it started). */
let current;

function run(bench) {
  const args = full ? bench.full : bench.quick;
  const limitS = full ? bench.timeoutS.full : bench.timeoutS.quick;
  const command = ['--import', 'tsx', '--conditions', 'source', bench.script, ...args];
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, command, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
      detached: true,
    });
    current = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      process.stdout.write(`  | ${String(d).replace(/\n(?=.)/g, '\n  | ')}`);
    });
    child.stderr.on('data', (d) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, limitS * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      const seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
      const base = {
        name: bench.name,
        title: bench.title,
        command:
          `node --import tsx --conditions source ${bench.script} ${(bench.shown ?? args).join(' ')}`.trim(),
        seconds,
      };
      let result;
      let error;
      if (timedOut) error = `timed out after ${limitS} s`;
      else if (code !== 0) {
        const tail = stderr.trim().split('\n').slice(-8).join('\n');
        error = `exited with ${code ?? signal}${tail ? `:\n${tail}` : ''}`;
      } else if (bench.jsonFile) {
        try {
          result = JSON.parse(readFileSync(bench.jsonFile, 'utf8'));
        } catch (e) {
          error = `no JSON in ${bench.jsonFile}: ${e.message}`;
        }
      } else {
        result = lastJsonLine(stdout);
        if (result === undefined) error = 'printed no JSON line';
      }
      resolve(error ? { ...base, status: 'failed', error } : { ...base, status: 'ok', result });
    });
  });
}

if (renderOnly) {
  rmSync(tmp, { recursive: true, force: true });
  let saved;
  try {
    saved = JSON.parse(readFileSync(join(ROOT, 'docs/benchmarks.json'), 'utf8'));
  } catch (e) {
    console.error(`pnpm bench --render: cannot read docs/benchmarks.json: ${e.message}`);
    process.exit(2);
  }
  writeDocs(saved, { json: false });
  process.exit(0);
}

const report = { machine: machine(), benchmarks: [] };
console.log(
  `pnpm bench (${report.machine.mode}): ${report.machine.cpuModel}, ${report.machine.cores} cores, load ${report.machine.loadAverageAtStart.join(' ')}`,
);
const stop = () => {
  if (current?.pid)
    try {
      process.kill(-current.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  rmSync(tmp, { recursive: true, force: true });
  process.exit(130);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

for (const bench of BENCHES) {
  if (only && !only.has(bench.name)) continue;
  const missing = bench.needs && !TOOLS[bench.needs].present;
  if (missing) {
    console.log(`\n== ${bench.name}: skipped (${bench.needs} is not installed)`);
    report.benchmarks.push({
      name: bench.name,
      title: bench.title,
      status: 'skipped',
      reason: `${bench.needs} is not on PATH (apt-get install ${bench.needs}); this benchmark ${TOOLS[bench.needs].usedTo}`,
    });
    continue;
  }
  console.log(`\n== ${bench.name}`);
  const r = await run(bench);
  console.log(
    `== ${bench.name}: ${r.status} in ${r.seconds} s${r.error ? ` (${r.error.split('\n')[0]})` : ''}`,
  );
  report.benchmarks.push(r);
}
report.machine.loadAverageAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
rmSync(tmp, { recursive: true, force: true });
const runInfo = {
  date: report.machine.date,
  mode: report.machine.mode,
  commit: report.machine.commit,
};
for (const b of report.benchmarks) b.run = runInfo;
if (only) mergeEarlierResults(report);

/**
 * With --only, keep the other benchmarks' results from docs/benchmarks.json (each marked with the
 * run it came from), so a partial run updates the page instead of emptying it.
 */
function mergeEarlierResults(report) {
  let saved;
  try {
    saved = JSON.parse(readFileSync(join(ROOT, 'docs/benchmarks.json'), 'utf8'));
  } catch {
    return;
  }
  const savedRun = {
    date: saved.machine?.date,
    mode: saved.machine?.mode,
    commit: saved.machine?.commit,
  };
  const merged = [];
  for (const bench of BENCHES) {
    const fresh = report.benchmarks.find((b) => b.name === bench.name);
    const old = saved.benchmarks?.find((b) => b.name === bench.name);
    if (fresh) merged.push(fresh);
    else if (old) merged.push({ ...old, run: old.run ?? savedRun });
  }
  report.benchmarks = merged;
}

function writeDocs(report, { json }) {
  const jsonPath = join(ROOT, 'docs/benchmarks.json');
  const mdPath = join(ROOT, 'docs/benchmarks.md');
  if (json) writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  let existing = '';
  try {
    existing = readFileSync(mdPath, 'utf8');
  } catch {
    existing = '# Benchmarks\n';
  }
  writeFileSync(mdPath, mergeIntoDoc(existing, renderGenerated(report)));
  // The replay charts, drawn from the results (so --render redraws them too).
  const replay = report.benchmarks.find((b) => b.name === 'replay-traces' && b.status === 'ok');
  if (replay) {
    const imgDir = join(ROOT, 'docs/img');
    mkdirSync(imgDir, { recursive: true });
    for (const [file, svg] of replayCharts(replay.result)) {
      writeFileSync(join(imgDir, file), svg);
      console.log(`wrote ${join(imgDir, file)}`);
    }
  }
  // Keep `prettier --check .` green; the doc is fine without it if prettier is missing.
  spawnSync('pnpm', ['exec', 'prettier', '--write', mdPath, jsonPath], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  console.log(`\nwrote ${mdPath}${json ? ` and ${jsonPath}` : ''}`);
}

if (!noWrite) writeDocs(report, { json: true });
const failed = report.benchmarks.filter((b) => b.status === 'failed');
if (failed.length) {
  console.error(`\n${failed.length} benchmark(s) failed: ${failed.map((b) => b.name).join(', ')}`);
  process.exit(1);
}
