// The state directory (.bascule/): a pid file so only one stack runs per directory, and the
// files a second run reuses (admin key, Redis data, batch files, logs, kube-sim's objects) or
// --clean removes.
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export class StateDirBusyError extends Error {
  override name = 'StateDirBusyError';
}

export interface StateDir {
  root: string;
  kubeconfig: string;
  logs: string;
  redis: string;
  batches: string;
  /** kube-sim's state file (the cluster's objects, Secrets included: mode 0600). */
  kubeState: string;
  adminKey: string;
  webhookKey: string;
  /** Children a previous instance left running, now stopped (their pids). */
  stale: number[];
  /** Notes a child process, so a later run can stop it if this process is killed. */
  recordChild(pid: number): void;
  /** Removes the pid file (only if it is still ours). */
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie (exited, not yet reaped) is not running.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** A secret kept in the state dir so a second run reuses it (mode 0600). */
function keep(file: string, make: () => string): string {
  try {
    const v = readFileSync(file, 'utf8').trim();
    if (v) return v;
  } catch {
    // first run
  }
  const v = make();
  writeFileSync(file, v + '\n', { mode: 0o600 });
  return v;
}

/**
 * Claims the state directory: refuses (StateDirBusyError) while another instance's pid file
 * names a live process, removes the directory first when `clean`, then writes our pid.
 */
export function claimStateDir(dir: string, clean: boolean): StateDir & { cleaned: boolean } {
  const root = resolve(dir);
  const pidFile = join(root, 'start.pid');
  let other: number | undefined;
  try {
    other = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    other = undefined;
  }
  if (other && other !== process.pid && alive(other))
    throw new StateDirBusyError(
      `another \`pnpm start\` (pid ${other}) is using ${dir}: stop it with Ctrl-C in its terminal ` +
        `(or kill ${other}), or run this one with --state-dir DIR and other ports`,
    );
  // The last instance died without stopping its children (kill -9): stop them now.
  const stale = reapStaleChildren(join(root, 'children'));
  if (clean) rmSync(root, { recursive: true, force: true });
  const paths = {
    root,
    kubeconfig: join(root, 'kubeconfig'),
    logs: join(root, 'logs'),
    redis: join(root, 'redis'),
    batches: join(root, 'batches'),
    kubeState: join(root, 'kube', 'state.json'),
  };
  for (const d of [root, paths.logs, paths.redis, paths.batches]) mkdirSync(d, { recursive: true });
  mkdirSync(join(root, 'kube'), { recursive: true, mode: 0o700 });
  writeFileSync(pidFile, `${process.pid}\n`);
  const adminKey = keep(
    join(root, 'admin-key'),
    () => `bsc-admin-${randomBytes(24).toString('base64url')}`,
  );
  const webhookKey = keep(join(root, 'webhook-signing-key'), () => randomBytes(32).toString('hex'));
  return {
    ...paths,
    stale,
    adminKey,
    webhookKey,
    cleaned: clean,
    recordChild(pid: number) {
      appendFileSync(join(root, 'children'), `${pid}\n`);
    },
    release() {
      rmSync(join(root, 'children'), { force: true });
      try {
        if (Number(readFileSync(pidFile, 'utf8').trim()) === process.pid) rmSync(pidFile);
      } catch {
        // already gone
      }
    },
  };
}

/** Our own children only: redis-server or bascule-server, checked by their command line. */
function reapStaleChildren(file: string): number[] {
  let pids: number[];
  try {
    pids = readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
  const reaped: number[] = [];
  for (const pid of pids) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes('redis-server') && !cmd.includes('control-plane/dist/main.js')) continue;
    try {
      process.kill(pid, 'SIGKILL');
      reaped.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  rmSync(file, { force: true });
  // Wait (briefly) until they are gone, so their ports are free again.
  const deadline = Date.now() + 3_000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (reaped.some(alive) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 25);
  return reaped;
}
