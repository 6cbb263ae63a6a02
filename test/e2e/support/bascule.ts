// `bascule` as a user runs it: the built CLI (apps/cli/dist/main.js) in a child process, pointed at
// a running REST API by BASCULE_SERVER and BASCULE_TOKEN, with no config file of the user's involved.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../apps/cli/dist/main.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bascule ARGS` against `api` with `token`; never throws on a non-zero exit. */
export function bascule(
  api: string,
  token: string,
  args: string[],
  stdin?: string,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [MAIN, ...args],
      {
        timeout: 60_000,
        maxBuffer: 16 << 20,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NO_COLOR: '1',
          BASCULE_SERVER: api,
          BASCULE_TOKEN: token,
          BASCULE_CONFIG: '/nonexistent/bascule-config.json',
        },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}
