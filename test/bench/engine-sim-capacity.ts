// Benchmark: how many concurrent simulated streams one engine-sim process sustains, and its
// memory per engine (so we know how many simulated pods fit in one process).
//   pnpm exec tsx test/bench/engine-sim-capacity.ts [levels=250,500,1000,2000] [engines=8] [tokens=100]
// The engines live in a child process (like kube-sim hosting pods); this process is the load
// generator. Each level opens that many concurrent streaming chat completions spread over the
// engines, at time scale 1, every stream generating `tokens` tokens. A level is "sustained"
// when the streams finish within 25% of the model's own latency (the simulator kept up with
// real time) and the child's event-loop p99 delay stays under 50 ms.
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { calibrate, stepTimeUs } from '@bascule/engine-sim';

const levels = (process.argv[2] ?? '250,500,1000,2000').split(',').map(Number);
const engineCount = Number(process.argv[3] ?? 8);
const tokens = Number(process.argv[4] ?? 100);
const maxNumSeqs = 512;
const levelDeadlineMs = 60_000;

function ask<T>(child: ChildProcess, msg: object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(msg);
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

/** One streaming request; resolves with wall ms to first chunk and to the end, and chunk count. */
function stream(
  url: string,
  i: number,
): Promise<{ ttftMs: number; totalMs: number; chunks: number }> {
  const body = JSON.stringify({
    model: 'meta-llama/Llama-3.1-8B-Instruct',
    messages: [{ role: 'user', content: `stream ${i}` }],
    max_tokens: tokens,
    stream: true,
  });
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/chat/completions`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let ttft = 0;
        let chunks = 0;
        res.on('data', (b: Buffer) => {
          if (ttft === 0) ttft = performance.now() - start;
          for (let k = b.indexOf('data: '); k >= 0; k = b.indexOf('data: ', k + 6)) chunks++;
        });
        res.on('end', () => resolve({ ttftMs: ttft, totalMs: performance.now() - start, chunks }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const here = fileURLToPath(new URL('.', import.meta.url));
const child = fork(`${here}engine-sim-capacity-host.ts`, [], {
  // The engine from source, as the parent imports it (the host used a relative path before ADR 0030).
  execArgv: ['--import', 'tsx', '--conditions', 'source', '--expose-gc'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
await new Promise((r) => child.once('message', r));

type Mem = { rssMiB: number; heapMiB: number };
const idle = await ask<{ before: Mem; after: Mem }>(child, { cmd: 'idle', count: 100 });
const started = await ask<{ urls: string[]; before: Mem; after: Mem }>(child, {
  cmd: 'start',
  engines: engineCount,
  maxNumSeqs,
  timeScale: 1,
});
const c = calibrate({ gpu: 'h100', paramsB: 8 }).coefficients;

const rows = [];
for (const level of levels) {
  await ask(child, { cmd: 'stats' }); // reset the loop-delay histogram
  const perEngine = Math.ceil(level / engineCount);
  // model latency of one stream when `perEngine` decode together (prefill step + decode steps)
  const modelMs =
    (stepTimeUs(c, perEngine * 12, 0) + (tokens - 1) * stepTimeUs(c, 0, perEngine)) / 1000;
  const t0 = performance.now();
  const results = await Promise.race([
    Promise.all(Array.from({ length: level }, (_, i) => stream(started.urls[i % engineCount]!, i))),
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`level ${level} over ${levelDeadlineMs} ms`)),
        levelDeadlineMs,
      ),
    ),
  ]);
  const wallMs = performance.now() - t0;
  const stats = await ask<
    Mem & { cpuMs: number; loopP50Ms: number; loopP99Ms: number; loopMaxMs: number }
  >(child, { cmd: 'stats' });
  const slowest = Math.max(...results.map((r) => r.totalMs));
  const chunks = results.reduce((s, r) => s + r.chunks, 0);
  const row = {
    streams: level,
    perEngine,
    modelMs: Math.round(modelMs),
    slowestStreamMs: Math.round(slowest),
    slowdown: Number((slowest / modelMs).toFixed(2)),
    chunksPerSec: Math.round(chunks / (wallMs / 1000)),
    engineCpuUsPerChunk: Number(((stats.cpuMs * 1000) / chunks).toFixed(1)),
    loopP99Ms: Number(stats.loopP99Ms.toFixed(1)),
    rssMiB: Math.round(stats.rssMiB),
    sustained: slowest <= modelMs * 1.25 && stats.loopP99Ms < 50,
  };
  rows.push(row);
  console.log(
    `${String(level).padStart(6)} streams (${perEngine}/engine): model ${row.modelMs} ms, slowest ${row.slowestStreamMs} ms (x${row.slowdown}), ` +
      `${row.chunksPerSec} chunks/s, ${row.engineCpuUsPerChunk} µs engine CPU/chunk, loop p99 ${row.loopP99Ms} ms, RSS ${row.rssMiB} MiB -> ${row.sustained ? 'sustained' : 'NOT sustained'}`,
  );
}
await ask(child, { cmd: 'stop' });
agent.destroy();

const perEngineHeapKiB = ((idle.after.heapMiB - idle.before.heapMiB) * 1024) / 100;
const perEngineRssKiB = ((idle.after.rssMiB - idle.before.rssMiB) * 1024) / 100;
const sustained = rows.filter((r) => r.sustained).map((r) => r.streams);
// What one dedicated core would sustain at time scale 1: a stream in a batch of 256 receives
// 1e6 / (b0 + 256·b2) tokens per second, each costing the engine process the measured CPU.
const cpuPerChunkUs = Math.min(...rows.map((r) => r.engineCpuUsPerChunk));
const tokensPerStreamPerSec = 1e6 / stepTimeUs(c, 0, 256);
const streamsPerCore = Math.floor(1e6 / cpuPerChunkUs / tokensPerStreamPerSec);
const summary = {
  engines: engineCount,
  tokensPerStream: tokens,
  timeScale: 1,
  loadAverage1m: Number(loadavg()[0]!.toFixed(1)),
  cpus: (await import('node:os')).cpus().length,
  maxSustainedStreams: sustained.length ? Math.max(...sustained) : 0,
  engineCpuUsPerChunk: cpuPerChunkUs,
  streamsPerDedicatedCore: streamsPerCore,
  idleEngineHeapKiB: Math.round(perEngineHeapKiB),
  idleEngineRssKiB: Math.round(perEngineRssKiB),
  processRssMiBWithEngines: Math.round(started.after.rssMiB),
  levels: rows,
};
console.log(
  `\nOne process sustained up to ${summary.maxSustainedStreams} concurrent streams at time scale 1 over ${engineCount} engines; ` +
    `at the measured ${cpuPerChunkUs} µs of engine CPU per streamed token, one dedicated core would sustain ~${streamsPerCore} streams ` +
    `(load average was ${summary.loadAverage1m} on ${summary.cpus} CPUs); an idle engine costs ~${summary.idleEngineHeapKiB} KiB of heap (~${summary.idleEngineRssKiB} KiB RSS).`,
);
console.log(JSON.stringify(summary));
