// Child processes the test harnesses start: kubectl run to completion (its stdout, or an error
// naming the command with its stderr), and long-running children (a `kubectl get -w`,
// `bascule-server`) whose stdout and stderr are collected and which the harness tracks to stop.
import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** A function that runs kubectl with `env`, feeding `input` to its stdin, within the limits. */
export function kubectlRunner(
  env: NodeJS.ProcessEnv,
  limits: { timeoutMs: number; maxBuffer: number },
): (args: string[], input?: string) => Promise<string> {
  return (args, input) =>
    new Promise<string>((resolve, reject) => {
      const child = execFile(
        'kubectl',
        args,
        { env, timeout: limits.timeoutMs, maxBuffer: limits.maxBuffer },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`kubectl ${args.join(' ')} failed: ${stderr || err.message}`));
          else resolve(stdout);
        },
      );
      if (input !== undefined) child.stdin?.end(input);
    });
}

/** Spawns a child with piped output, kept in `children` until it exits; output() is all so far. */
export function spawnCollecting(
  children: Set<ChildProcess>,
  command: string,
  args: string[],
  options: SpawnOptions,
): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  child.on('exit', () => children.delete(child));
  return { child, output: () => out };
}
