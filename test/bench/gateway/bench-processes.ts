import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { GATEWAY_NODE_FLAGS } from '@bascule/gateway';

/**
 * Node flags of every bench process: the server's (ADR 0041), given to the proxies and the
 * upstream too, so that what differs between targets is their code, not their runtime.
 * BASCULE_BENCH_NODE_FLAGS replaces them (space-separated; empty for Node's defaults), to
 * measure a runtime flag before adopting it.
 */
export const BENCH_NODE_FLAGS: readonly string[] =
  process.env.BASCULE_BENCH_NODE_FLAGS === undefined
    ? GATEWAY_NODE_FLAGS
    : process.env.BASCULE_BENCH_NODE_FLAGS.split(/\s+/).filter((f) => f !== '');

export interface BenchProcess {
  port: number;
  pid: number;
  proc: ChildProcess;
  /** CPU time (user + system) the process has used so far, in seconds (10 ms ticks). */
  cpuSeconds(): Promise<number>;
  /** Peak resident set (VmHWM) in MiB. */
  peakRssMiB(): Promise<number>;
  stop(): Promise<void>;
}

/** Node flags for the process (`nodeFlags`), and a reader of the other lines of its stdout. */
export interface SpawnExtras {
  nodeFlags?: readonly string[];
  onLine?: (line: string) => void;
}

/**
 * Runs a TypeScript file under node + tsx and reads its port (the first line of stdout that is
 * a number). Workspace packages come from source, or from their compiled dist/ with
 * `fromSource` false (what production runs).
 */
export async function spawnBench(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  fromSource = true,
  extras: SpawnExtras = {},
): Promise<BenchProcess> {
  const conditions = fromSource ? ['--conditions=source'] : [];
  const flags = [...conditions, ...BENCH_NODE_FLAGS, ...(extras.nodeFlags ?? [])];
  const proc = spawn(process.execPath, [...flags, '--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const port = await new Promise<number>((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout });
    let listening = false;
    rl.on('line', (l) => {
      if (!listening && /^\d+$/.test(l.trim())) {
        listening = true;
        resolve(Number(l.trim()));
      } else extras.onLine?.(l);
    });
    proc.once('exit', (code) =>
      reject(new Error(`${script} exited with ${code} before listening`)),
    );
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    port,
    pid: proc.pid!,
    proc,
    async cpuSeconds() {
      const stat = await readFile(`/proc/${proc.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the name).
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    async peakRssMiB() {
      const status = await readFile(`/proc/${proc.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb / 1024;
    },
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
