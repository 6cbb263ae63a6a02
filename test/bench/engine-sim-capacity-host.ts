// Child process of engine-sim-capacity.ts: hosts the simulated engines (as kube-sim would host
// pods) and answers the parent's questions about memory and event-loop delay over IPC.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startEngineSim, type RunningEngine } from '@bascule/engine-sim';

type Command =
  | { cmd: 'start'; engines: number; maxNumSeqs: number; timeScale: number }
  | { cmd: 'idle'; count: number }
  | { cmd: 'stats' }
  | { cmd: 'stop' };

const engines: RunningEngine[] = [];
let cpuMark = process.cpuUsage();
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();

function mem() {
  global.gc?.();
  const m = process.memoryUsage();
  return { rssMiB: m.rss / 2 ** 20, heapMiB: m.heapUsed / 2 ** 20 };
}

async function startOne(i: number, maxNumSeqs: number, timeScale: number): Promise<RunningEngine> {
  const e = await startEngineSim({
    argv: [
      '--model',
      'meta-llama/Llama-3.1-8B-Instruct',
      '--max-num-seqs',
      String(maxNumSeqs),
      '--output-tokens',
      'max',
    ],
    host: `127.0.${Math.floor(i / 250) + 10}.${(i % 250) + 2}`,
    port: 0,
    loadSeconds: 0,
    timeScale,
    tokenizer: 'approx',
  });
  await e.ready;
  return e;
}

process.on('message', (raw) => {
  const msg = raw as Command;
  void (async () => {
    switch (msg.cmd) {
      case 'start': {
        const before = mem();
        for (let i = 0; i < msg.engines; i++)
          engines.push(await startOne(i, msg.maxNumSeqs, msg.timeScale));
        process.send!({ urls: engines.map((e) => e.url), before, after: mem() });
        break;
      }
      case 'idle': {
        const before = mem();
        const idle: RunningEngine[] = [];
        for (let i = 0; i < msg.count; i++) idle.push(await startOne(1000 + i, 256, 1));
        const after = mem();
        await Promise.all(idle.map((e) => e.close()));
        process.send!({ before, after });
        break;
      }
      case 'stats': {
        const cpu = process.cpuUsage(cpuMark);
        cpuMark = process.cpuUsage();
        const stats = {
          ...mem(),
          cpuMs: (cpu.user + cpu.system) / 1000,
          loopP50Ms: loop.percentile(50) / 1e6,
          loopP99Ms: loop.percentile(99) / 1e6,
          loopMaxMs: loop.max / 1e6,
        };
        loop.reset();
        process.send!(stats);
        break;
      }
      case 'stop':
        await Promise.all(engines.map((e) => e.close()));
        process.send!({ stopped: true });
        process.disconnect();
        break;
    }
  })();
});
process.send!({ hello: true });
