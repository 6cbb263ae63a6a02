import type { V1Lease } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasKubectl,
  modelYaml,
  startHarness,
  waitFor,
  type Harness,
} from './support/controller-harness.js';

// Short lease timings so a takeover happens within seconds.
const LEASE = ['--lease-duration', '3s', '--renew-deadline', '2s', '--retry-period', '250ms'];
const LEASE_MS = 3_000;
const spec = {
  source: 'hf://Qwen/Qwen3-8B',
  engine: 'vllm',
  gpus: 'nvidia-l4:1',
  replicas: 1,
  autoscaling: { enabled: false },
};

const holder = async (h: Harness) =>
  (await h.kubectlJson<V1Lease>(['get', 'lease', 'bascule-controller', '-n', 'default'])).spec
    ?.holderIdentity;
const deploymentExists = async (h: Harness, name: string) =>
  (await h.kubectl(['get', 'deployments', '-o', 'name'])).includes(`deployment.apps/${name}`);

describe.skipIf(!hasKubectl)('two controllers with leader election (bascule-server)', () => {
  let h: Harness;
  let procs: Record<'a' | 'b', ReturnType<Harness['spawnServe']>>;
  beforeAll(async () => {
    h = await startHarness('l4:4x1');
  });
  afterAll(() => h?.close());

  it('exactly one acts; when the leader is killed the other reconciles a new Model within the lease duration', async () => {
    const a = h.spawnServe([
      '--roles',
      'controller',
      '--identity',
      'ctl-a',
      '--metrics-port',
      '0',
      ...LEASE,
    ]);
    const b = h.spawnServe([
      '--roles',
      'controller',
      '--identity',
      'ctl-b',
      '--metrics-port',
      '0',
      ...LEASE,
    ]);
    procs = { a, b };
    const leader = await waitFor('a leader', async () => {
      const id = await holder(h);
      return (id === 'ctl-a' || id === 'ctl-b') && id;
    });
    const [lead, standby] = leader === 'ctl-a' ? [a, b] : [b, a];
    await h.kubectl(['apply', '-f', '-'], modelYaml('first', spec));
    await waitFor('first reconciled', () => deploymentExists(h, 'first'));
    await waitFor('standby synced', () => standby.output().includes('informers synced'));
    const reconcileLines = (out: string) =>
      out.split('\n').filter((l) => l.includes('"model":"default/'));
    expect(reconcileLines(lead.output()).length).toBeGreaterThan(0);
    expect(reconcileLines(standby.output())).toEqual([]);
    expect(standby.output()).not.toContain('became leader');
    for (const line of reconcileLines(lead.output()))
      expect(JSON.parse(line)).toHaveProperty('model');

    lead.child.kill('SIGKILL');
    await h.kubectl(['apply', '-f', '-'], modelYaml('second', spec));
    await waitFor(
      'the standby reconciles the new Model',
      () => deploymentExists(h, 'second'),
      LEASE_MS + 3_000,
    );
    expect(await holder(h)).toBe(leader === 'ctl-a' ? 'ctl-b' : 'ctl-a');
    expect(standby.output()).toContain('became leader');
    await waitFor(
      'second has a status',
      async () =>
        (await h.kubectl([
          'get',
          'model',
          'second',
          '-o',
          'jsonpath={.status.observedGeneration}',
        ])) === '1',
    );
  });

  it('a graceful stop (SIGTERM) finishes, exits 0 and releases the Lease at once', async () => {
    const now = await holder(h);
    const survivor = now === 'ctl-a' ? procs.a : procs.b;
    survivor.child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => survivor.child.once('exit', r));
    expect(code).toBe(0);
    expect(survivor.output()).toContain('"msg":"stopped"');
    // Released, not left to expire: nobody holds it right after the exit.
    expect(await holder(h)).toBe('');
  });
});
