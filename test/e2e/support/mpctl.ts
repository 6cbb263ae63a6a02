// `mpctl` as a user runs it: the built CLI (apps/cli/dist/main.js) in a child process, pointed at
// a running REST API by MPCTL_SERVER and MPCTL_TOKEN, with no config file of the user's involved.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../apps/cli/dist/main.js', import.meta.url));

export interface MpctlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `mpctl ARGS` against `api` with `token`; never throws on a non-zero exit. */
export function mpctl(
  api: string,
  token: string,
  args: string[],
  stdin?: string,
): Promise<MpctlResult> {
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
          MPCTL_SERVER: api,
          MPCTL_TOKEN: token,
          MPCTL_CONFIG: '/nonexistent/mpctl-config.json',
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
