// Runs `node scripts/start.mjs` (what `pnpm start` runs after `pnpm build`) as a user would,
// and reads what it prints.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@bascule/test-support';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const START = join(ROOT, 'scripts/start.mjs');

export const has = (bin: string, arg = '--version') =>
  spawnSync(bin, [arg], { stdio: 'ignore' }).error === undefined;

/** The environment of a user without real provider keys or a Redis of their own. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'REDIS_URL'])
    delete env[k];
  return env;
}

export interface StartProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  /** Resolves when stdout contains `text`; rejects at the deadline or if the process exits. */
  waitFor(text: string, timeoutMs: number): Promise<void>;
}

export function spawnStart(args: string[], env = cleanEnv()): StartProcess {
  const child = spawn(process.execPath, [START, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(text, timeoutMs) {
      await waitFor(
        `"${text}"`,
        () => {
          if (out.includes(text)) return true;
          if (done) throw new Error(`start exited before "${text}"`);
          return false;
        },
        timeoutMs,
      ).catch((e: unknown) => {
        throw new Error(`${e instanceof Error ? e.message : String(e)}:\n${out}\n${err}`);
      });
    },
  };
}

/** The printed value after a label, e.g. `admin key   bsc-...`. */
export function printed(out: string, label: string): string {
  const m = new RegExp(`^\\s*${label}\\s+(\\S+)`, 'm').exec(out);
  if (!m) throw new Error(`"${label}" is not in the output:\n${out}`);
  return m[1]!;
}

/** The printed shell command starting with `prefix`, with its backslash continuation lines. */
export function printedCommand(out: string, prefix: string): string {
  const lines = out.split('\n');
  const i = lines.findIndex((l) => l.trimStart().startsWith(prefix));
  if (i < 0) throw new Error(`no printed command starting with "${prefix}":\n${out}`);
  const cmd: string[] = [];
  for (let j = i; j < lines.length; j++) {
    cmd.push(lines[j]!.trim());
    if (!lines[j]!.trimEnd().endsWith('\\')) break;
  }
  return cmd.join('\n');
}

/** The printed heredoc block from `first` to its closing `EOF` line. */
export function printedHeredoc(out: string, first: string): string {
  const start = out.indexOf(first);
  const end = out.indexOf('\nEOF\n', start);
  if (start < 0 || end < 0) throw new Error(`no heredoc "${first}" in the output:\n${out}`);
  return out.slice(start, end + 5);
}

/** Runs a command line with sh in the repository root, as a user pasting it would. */
export function sh(
  command: string,
  env: NodeJS.ProcessEnv = cleanEnv(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    execFile(
      'sh',
      ['-c', command],
      { cwd: ROOT, env, timeout: 30_000, maxBuffer: 8 << 20 },
      (err, stdout, stderr) =>
        resolvePromise({
          code: err ? ((err as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

/** True if something accepts TCP connections at host:port. */
export function listening(host: string, port: number): Promise<boolean> {
  return new Promise((r) => {
    const s = connect({ host, port });
    s.setTimeout(1_000, () => (s.destroy(), r(false)));
    s.once('connect', () => (s.destroy(), r(true)));
    s.once('error', () => r(false));
  });
}

/** The pids of a process's descendants (from /proc, via ps). */
export function descendants(pid: number): number[] {
  const out = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout ?? '';
  const children = new Map<number, number[]>();
  for (const line of out.trim().split('\n')) {
    const [c, p] = line.trim().split(/\s+/).map(Number);
    if (c === undefined || p === undefined) continue;
    children.set(p, [...(children.get(p) ?? []), c]);
  }
  const all: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      all.push(c);
      walk(c);
    }
  };
  walk(pid);
  return all;
}

/** True while the process runs (a zombie, exited but not reaped, counts as stopped). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
