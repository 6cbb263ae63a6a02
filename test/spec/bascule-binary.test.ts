import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs the built CLI (`pnpm build` first, as `pnpm test` does) exactly as `pnpm bascule` does.
const root = fileURLToPath(new URL('../../', import.meta.url));
const main = fileURLToPath(new URL('../../apps/cli/dist/main.js', import.meta.url));

function run(
  args: string[],
  stdin?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

describe('bascule binary', () => {
  it('validate -f manifests/examples exits 0', async () => {
    const r = await run(['validate', '-f', 'manifests/examples']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.endsWith(' valid'))).toHaveLength(14);
  });

  it('a broken manifest on stdin exits 1 with <stdin>:line:col and no stack trace', async () => {
    const r = await run(
      ['validate', '-f', '-'],
      'apiVersion: bascule.dev/v1alpha1\nkind: Route\nmetadata:\n  name: chat\nspec:\n  targets: []\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      '<stdin>:6:12: Route/chat .spec.targets: must have at least 1 item\n1 error found\n',
    );
  });

  it('usage errors exit 2', async () => {
    const r = await run(['validate', '--nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
