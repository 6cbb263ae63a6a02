// `bascule` as an operator runs it: the built CLI (apps/cli/dist/main.js) pointed at one replica's
// control API with BASCULE_SERVER/BASCULE_TOKEN, and a private BASCULE_CONFIG so no home config is read.
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../../controller/support/controller-harness.js';

const MAIN = join(ROOT, 'apps/cli/dist/main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function bascule(server: string, token: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      {
        env: {
          ...process.env,
          BASCULE_SERVER: server,
          BASCULE_TOKEN: token,
          BASCULE_CONFIG: join(tmpdir(), `bascule-e2e-governance-${process.pid}.json`),
        },
        timeout: 30_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs bascule with `-o json` and parses its output; a non-zero exit fails with its stderr. */
export async function cliJson<T>(server: string, token: string, args: string[]): Promise<T> {
  const r = await bascule(server, token, [...args, '-o', 'json']);
  if (r.code !== 0) throw new Error(`bascule ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
