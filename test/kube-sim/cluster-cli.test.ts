// `pnpm sim cluster`: starts kube-sim, writes a kubeconfig kubectl uses as is, prints how to
// reach it, rejects bad flags naming them, and stops cleanly on SIGINT.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { hasKubectl, waitFor } from './cluster-helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const main = join(root, 'apps/sim/src/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'kube-sim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sim(args: string[]) {
  return spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions', 'source', main, 'cluster', ...args],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

describe('sim cluster', () => {
  it('rejects a bad node spec with a message naming --nodes and exit code 2', () => {
    const res = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions',
        'source',
        main,
        'cluster',
        '--nodes',
        'v100:1x8',
        '--port',
        '0',
      ],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('--nodes: unknown GPU type "v100"');
    expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it.skipIf(!hasKubectl)(
    'serves kubectl through the kubeconfig it writes, and stops on SIGINT',
    async () => {
      const kubeconfig = join(dir, 'kubeconfig');
      const child = sim([
        '--nodes',
        'l4:2x1,cpu:1',
        '--port',
        '0',
        '--kubeconfig',
        kubeconfig,
        '--time-scale',
        '10',
      ]);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      );
      try {
        const url = await waitFor(
          'listening',
          () => /kube-sim listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1],
          30_000,
        );
        expect(out).toContain(`export KUBECONFIG=${kubeconfig}`);
        expect(existsSync(kubeconfig)).toBe(true);
        const nodes = spawnSync('kubectl', ['get', 'nodes', '-o', 'name'], {
          env: { ...process.env, KUBECONFIG: kubeconfig },
          encoding: 'utf8',
        });
        expect(nodes.stdout.trim().split('\n').sort()).toEqual([
          'node/node-cpu-0',
          'node/node-l4-0',
          'node/node-l4-1',
        ]);
        expect((await fetch(`${url}/version`)).status).toBe(200);
      } finally {
        child.kill('SIGINT');
      }
      expect(await exited).toBe(0);
      expect(out).toContain('kube-sim: stopping');
    },
  );
});
