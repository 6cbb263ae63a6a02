import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from '@bascule/kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, waitFor } from '../controller/support/controller-harness.js';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';

const ADMIN = 'bsc-role-test-admin-key-000000000000';

/** `bascule-server --roles api` as a process: listens, is ready, serves keys, stops on SIGTERM. */
describe('bascule-server --roles api', () => {
  let sim: KubeSim;
  let redis: RunningRedisServer;
  let child: ChildProcess;
  let dir: string;
  let out = '';
  let url = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bsc-api-role-'));
    const kubeconfig = join(dir, 'kubeconfig');
    sim = await startKubeSim({ nodes: 'l4:1x1', kubeconfigPath: kubeconfig });
    redis = await startRedisServer();
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions',
        'source',
        join(ROOT, 'apps/control-plane/src/main.ts'),
        '--roles',
        'api',
        '--kubeconfig',
        kubeconfig,
        '--metrics-host',
        '127.0.0.1',
        '--metrics-port',
        '0',
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          BASCULE_API_HOST: '127.0.0.1',
          BASCULE_API_PORT: '0',
          BASCULE_REDIS_URL: redis.url,
          BASCULE_ADMIN_KEY: ADMIN,
          BASCULE_BATCH_DIR: join(dir, 'batches'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    url = await waitFor(
      'api listening',
      () => /"url":"(http:[^"]+)","msg":"api listening"/.exec(out)?.[1],
      90_000,
    );
  }, 120_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    await redis?.stop();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is ready with Kubernetes and Redis, issues keys, and stops cleanly on SIGTERM', async () => {
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { kubernetes: 'ok', redis: 'ok' } });
    const created = await fetch(`${url}/api/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'from-role', tenant: 't' }),
    });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    expect(out).not.toContain(key);
    expect(out).not.toContain(ADMIN);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(
      /bascule_api_requests_total\{method="POST",route="\/api\/v1\/keys",status="201"\} 1/,
    );
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
