// `bascule-server` with every role as a child process in its own process group (so a
// terminal's Ctrl-C reaches `pnpm start` alone, which stops it in order); its JSON log lines
// go to logs/bascule.log.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild } from './stop-child.js';

/** The server's Node flags, as in @bascule/gateway's GATEWAY_NODE_FLAGS (ADR 0041). */
export const SERVER_NODE_FLAGS: readonly string[] = ['--min-semi-space-size=16'];

export interface BasculeChild {
  child: ChildProcess;
  logFile: string;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  /** The last lines of its log (for error messages). */
  tail(lines?: number): string;
  stop(): Promise<void>;
}

export function spawnBascule(options: {
  root: string;
  logs: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}): BasculeChild {
  const logFile = join(options.logs, 'bascule.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, join(options.root, 'apps/control-plane/dist/main.js'), ...options.args],
    { cwd: options.root, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      log.end();
      resolve(code);
    }),
  );
  return {
    child,
    logFile,
    exited,
    tail(lines = 15) {
      try {
        return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    stop: () => stopChild(child, 20_000),
  };
}
